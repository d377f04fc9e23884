/**
 * Timers shaped like tokio::time: `sleep(ms)` and `interval(ms)`. They are
 * ordinary (ref'd) Node timers; with insight on each sleep is a Sleep resource
 * (timer kind, `duration` in ms) and each wait an async op woken from outside
 * the runtime (`insight.woken_by` 0), as a timer wake is in tokio.
 */
import { drop, instrument, touch } from "../private/instrument.js";
import type { OpRecord, LiveResource } from "../private/records.js";
import { runtime } from "../private/runtime.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkMillis, checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

interface TimerWait {
  readonly resource: LiveResource | undefined;
  readonly source: string;
  readonly reason: string;
  readonly below: Function;
}

/** Waits `ms`; rejects with the signal's reason if aborted first (the timer is cleared). */
function timerWait(ms: number, spec: TimerWait, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let op: OpRecord | undefined;
    const rt = runtime;
    if (rt !== undefined && spec.resource !== undefined) op = rt.createOp(spec.resource, spec.source, spec.reason, spec.below);
    const onAbort = () => {
      clearTimeout(timer);
      if (op) runtime?.completeOp(op, undefined);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      if (op) runtime?.completeOp(op, undefined);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

class SleepState {
  constructor(readonly ms: number) {}
  describe() {
    return { duration: this.ms };
  }
}

export interface SleepOptions extends PrimitiveOptions, WaitOptions {}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number, options?: SleepOptions): Promise<void> {
  checkMillis(ms, "sleep duration", false);
  const { name } = checkPrimitiveOptions(options);
  const signal = checkWaitOptions(options)?.signal;
  const state = new SleepState(ms);
  const resource = instrument(state, "Sleep", name, sleep, true);
  const done = timerWait(ms, { resource, source: "Sleep::new_timeout", reason: `sleeping ${ms}ms`, below: sleep }, signal);
  if (resource === undefined) return done;
  const end = () => drop(resource);
  // Keep the state reachable while the timer runs (the record holds it weakly).
  return done.then(
    () => {
      end();
      void state;
    },
    (error: unknown) => {
      end();
      throw error;
    },
  );
}

/** Ticks every `period` ms; a late tick does not cause a burst (tokio's MissedTickBehavior::Delay). */
export class Interval implements AsyncIterable<void> {
  readonly period: number;
  #next: number;
  #stopped = false;
  #ticks = 0;
  readonly #resource: LiveResource | undefined;

  constructor(period: number, options?: PrimitiveOptions) {
    checkMillis(period, "interval period", true);
    const { name } = checkPrimitiveOptions(options);
    this.period = period;
    this.#next = Date.now();
    this.#resource = instrument(this, "Interval", name, Interval, true);
  }

  /** Waits for the next tick (the first is immediate). */
  tick(options?: WaitOptions): Promise<void> {
    options = checkWaitOptions(options);
    if (this.#stopped) return Promise.reject(new Error("interval stopped"));
    const wait = Math.max(0, this.#next - Date.now());
    const done = (): void => {
      this.#next = Math.max(this.#next + this.period, Date.now());
      this.#ticks++;
      touch(this.#resource);
    };
    if (wait === 0) {
      done();
      return Promise.resolve();
    }
    return timerWait(
      wait,
      { resource: this.#resource, source: "Interval::tick", reason: `waiting for the next tick (every ${this.period}ms)`, below: this.tick },
      options?.signal,
    ).then(done);
  }

  stop(): void {
    this.#stopped = true;
    drop(this.#resource);
  }

  /** @internal */
  describe() {
    return { period: this.period, ticks: this.#ticks };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<void> {
    while (!this.#stopped) {
      await this.tick();
      yield;
    }
  }
}

export function interval(period: number, options?: PrimitiveOptions): Interval {
  return new Interval(period, options);
}
