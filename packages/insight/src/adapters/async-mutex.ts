/**
 * async-mutex 0.5: `Mutex` (holder: certain, one unit) and `Semaphore`
 * (permits: possible holders, as insight's own Semaphore), both ESM and CJS
 * builds. A Mutex is a Semaphore of 1 inside (`_semaphore`), so the waits and
 * grants are seen at the Semaphore (acquire, the releaser it hands out,
 * release) and published on the Mutex that owns it.
 *
 * withTimeout: waits through the wrapper carry `insight.timeout_ms` and end
 * when the wrapper gives up. The CJS build's is patched like the classes; the
 * ESM build's is a module binding, wrapped as the module loads, so only
 * under `--import` (esm-hooks.ts, docs/adapters.md).
 *
 * Objects made before the patch landed are tracked at their first acquire,
 * located there rather than where they were made.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { claim, currentLiveTask, follow, track, trackedOf, type LibraryState, type ResourceSpec, type TrackedResource, type TrackedWait } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";
import { readStackNow } from "../private/callsite.js";

interface Sem {
  _value: number;
  _queue: unknown[];
  _couldLockImmediately?(weight: number, priority: number): boolean;
  getValue(): number;
  isLocked(): boolean;
}
interface Mtx {
  _semaphore: Sem;
  isLocked(): boolean;
}

type SemMethod = (this: Sem, ...args: unknown[]) => unknown;
type MtxMethod = (this: Mtx, ...args: unknown[]) => unknown;

/** The Mutex each internal Semaphore belongs to. */
const mutexOf = new WeakMap<Sem, Mtx>();
/** Timeouts set by withTimeout on a Mutex or Semaphore. */
const timeoutOf = new WeakMap<object, number>();
/** The releaser being called (a release through it is that unit's, not an anonymous one). */
let releasing = false;
/** Set while a withTimeout wrapper's acquire runs (the inner acquire happens synchronously inside it). */
let timed: { timeoutMs: number; wait: TrackedWait | undefined } | undefined;

function queueLength(sem: Sem): number {
  return Array.isArray(sem._queue) ? sem._queue.length : 0;
}

function specs(context: AdapterContext) {
  const mutex: ResourceSpec<Mtx> = {
    concreteType: "Mutex",
    library: context.libraryText,
    read: (m): LibraryState => {
      const locked = m.isLocked();
      return { capacity: 1, inUse: locked ? 1 : 0, pending: queueLength(m._semaphore), timeoutMs: timeoutOf.get(m), extra: { locked } };
    },
    reason: (resource, wait) => {
      const holder = resource.holderTasks()[0];
      const what = wait.op?.source === "Mutex::waitForUnlock" ? "waiting for the lock to be released" : "waiting for lock";
      if (resource.holders.size === 0) return what;
      return `${what}${wait.op?.source === "Mutex::waitForUnlock" ? ", held by" : " held by"} ${holder ? `task ${holder.taskId}` : "code outside any task"}`;
    },
  };
  const semaphore: ResourceSpec<Sem> = {
    concreteType: "Semaphore",
    library: context.libraryText,
    role: "permit",
    read: (s): LibraryState => {
      const permits = Math.max(0, s.getValue());
      return {
        capacity: permits + trackedOf(s)!.heldUnits,
        inUse: trackedOf(s)!.heldUnits,
        pending: queueLength(s),
        timeoutMs: timeoutOf.get(s),
        extra: { permits },
      };
    },
    // Permit users are possible freers only: the words name no holder.
    reason: (resource, wait) => {
      const requested = Number(wait.op?.extra?.["insight.requested"] ?? 1);
      const state = resource.spec.read(resource.target!);
      const free = wait.op?.source === "Semaphore::waitForUnlock" ? " to be free" : "";
      return `waiting for ${requested} permit${requested === 1 ? "" : "s"}${free} (${state.inUse}/${state.capacity} in use, ${Number(state.extra?.permits ?? 0)} available)`;
    },
  };
  return { mutex, semaphore };
}

function patch(exports: unknown, context: AdapterContext): void {
  const lib = exports as { Mutex?: Function; Semaphore?: Function };
  if (typeof lib.Semaphore !== "function" || typeof lib.Mutex !== "function") throw new Error("async-mutex exports no Mutex or Semaphore class");
  const { mutex: mutexSpec, semaphore: semaphoreSpec } = specs(context);
  const sem = lib.Semaphore.prototype;
  const mtx = lib.Mutex.prototype;

  /** The resource a Semaphore's activity is published on: its Mutex's, or its own. */
  const resourceOf = (s: Sem, below: Function): TrackedResource<object> | undefined => {
    const owner = mutexOf.get(s);
    return (owner ? track(owner, mutexSpec, below) : track(s, semaphoreSpec, below)) as TrackedResource<object> | undefined;
  };

  wrapMethod<SemMethod>(
    sem,
    "acquire",
    (original) =>
      function acquire(this: Sem, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const queued = context.safely(() => queueLength(this), -1);
        const promise = original.apply(this, args);
        return context.safely(() => {
          if (!(promise instanceof Promise)) return promise;
          const resource = resourceOf(this, acquire);
          if (resource === undefined) return promise;
          const task = currentLiveTask();
          const owner = mutexOf.get(this);
          const weight = owner ? 1 : typeof args[0] === "number" ? args[0] : 1;
          let wait: TrackedWait | undefined;
          // Through a withTimeout that is not wrapped: its wait would end
          // at the timeout unseen, so it is left to the generic await tracker rather than shown wrong.
          if (queued >= 0 && queueLength(this) > queued && !(timed === undefined && unwrappedTimeouts.some((lines) => lines.calledFrom(acquire)))) {
            const timeoutMs = timed?.timeoutMs;
            const extra = { ...(owner ? {} : { "insight.requested": weight }), ...(timeoutMs !== undefined ? { "insight.timeout_ms": timeoutMs } : {}) };
            wait = resource.wait(undefined, { source: owner ? "Mutex::acquire" : "Semaphore::acquire", below: acquire, task, extra });
            if (timed !== undefined) timed.wait = wait;
          }
          // Whoever awaits it (the app, or the library's own Mutex) gets a promise that settles as this one does.
          return follow(
            promise,
            (ticket) => {
              wait?.end();
              const releaser = Array.isArray(ticket) ? ticket[1] : undefined;
              if (typeof releaser === "function") resource.hold(releaser, task, weight);
            },
            () => wait?.end(),
          );
        }, promise);
      },
  );

  wrapMethod<(this: Sem, weight: number) => () => void>(
    sem,
    "_newReleaser",
    (original) =>
      function _newReleaser(this: Sem, weight: number) {
        const inner = original.call(this, weight);
        if (!context.on()) return inner;
        const owner: object = mutexOf.get(this) ?? this;
        let done = false;
        const releaser = () => {
          if (!done) {
            done = true;
            context.safely(() => trackedOf(owner)?.release(releaser));
          }
          releasing = true;
          try {
            return inner();
          } finally {
            releasing = false;
          }
        };
        return releaser;
      },
  );

  wrapMethod<SemMethod>(
    sem,
    "release",
    (original) =>
      function release(this: Sem, ...args: unknown[]) {
        // A release not through a releaser (mutex.release(), semaphore.release(n)): it frees units
        // without saying whose, so the oldest holders are taken off (all of them for a Mutex).
        if (!releasing && context.on()) {
          context.safely(() => {
            const owner = mutexOf.get(this);
            const resource = trackedOf<object>(owner ?? this);
            if (resource === undefined) return;
            let left = owner ? Number.POSITIVE_INFINITY : typeof args[0] === "number" ? args[0] : 1;
            for (const [unit, { count }] of resource.holders) {
              if (left <= 0) break;
              resource.release(unit);
              left -= count;
            }
          });
        }
        return original.apply(this, args);
      },
  );

  wrapMethod<SemMethod>(
    sem,
    "runExclusive",
    (original) =>
      function runExclusive(this: Sem, ...args: unknown[]) {
        const promise = original.apply(this, args);
        if (context.on() && promise instanceof Promise) context.safely(() => claim(promise));
        return promise;
      },
  );

  // Waiting for the lock (or permits) to be free without taking it: a wait on the holders too.
  wrapMethod<SemMethod>(
    sem,
    "waitForUnlock",
    (original) =>
      function waitForUnlock(this: Sem, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const owner = mutexOf.get(this);
        const weight = owner ? 1 : typeof args[0] === "number" ? args[0] : 1;
        const priority = args[1];
        const blocks = context.safely(
          () => typeof this._couldLockImmediately === "function" && !this._couldLockImmediately(weight, typeof priority === "number" ? priority : 0),
          false,
        );
        const promise = original.apply(this, args);
        context.safely(() => {
          if (!(promise instanceof Promise) || !blocks) return;
          const resource = resourceOf(this, waitForUnlock);
          // It only ever resolves: observing it cannot hide a rejection from the app.
          resource?.wait(promise, {
            source: owner ? "Mutex::waitForUnlock" : "Semaphore::waitForUnlock",
            below: waitForUnlock,
            extra: owner ? undefined : { "insight.requested": weight },
          });
        });
        return promise;
      },
  );

  // A Mutex's methods say which Semaphore is its own, and claim the promises the app awaits.
  for (const name of ["acquire", "runExclusive", "waitForUnlock", "release", "cancel"]) {
    wrapMethod<MtxMethod>(
      mtx,
      name,
      (original) =>
        function wrapped(this: Mtx, ...args: unknown[]) {
          if (!context.on()) return original.apply(this, args);
          context.safely(() => {
            if (this._semaphore && !mutexOf.has(this._semaphore)) {
              mutexOf.set(this._semaphore, this);
              track(this, mutexSpec, wrapped);
            }
          });
          const result = original.apply(this, args);
          if (result instanceof Promise) context.safely(() => claim(result));
          return result;
        },
    );
  }

  // A withTimeout the app took before the patch landed (a CJS destructuring before init(), the ESM
  // build without --import) is not wrapped: its waits are recognised by where they come from.
  const file = join(context.library.root, context.library.format === "cjs" ? "lib/withTimeout.js" : "index.mjs");
  const lines = context.safely(() => WithTimeoutLines.of(file), undefined);
  if (lines !== undefined) unwrappedTimeouts.push(lines);
  if (context.library.format === "cjs") patchWithTimeout(context);
}

/** Where the ESM build's withTimeout is (read once): a wait made from there is one its timeout ends. */
class WithTimeoutLines {
  readonly file: string;
  readonly first: number;
  readonly last: number;

  private constructor(file: string, first: number, last: number) {
    this.file = file;
    this.first = first;
    this.last = last;
  }

  static of(file: string): WithTimeoutLines | undefined {
    const lines = readFileSync(file, "utf8").split("\n");
    const first = lines.findIndex((line) => line.startsWith("function withTimeout("));
    if (first < 0) return undefined;
    const next = lines.findIndex((line, i) => i > first && line.startsWith("function "));
    return new WithTimeoutLines(file, first + 1, next < 0 ? lines.length : next);
  }

  calledFrom(below: Function): boolean {
    const inside = (_error: Error, frames: NodeJS.CallSite[]) =>
      frames.some((frame) => {
        const name = frame.getFileName() ?? "";
        const line = frame.getLineNumber() ?? 0;
        return (name === this.file || name === pathToFileURL(this.file).href) && line >= this.first && line <= this.last;
      });
    return readStackNow(below, 16, inside) === true;
  }
}

const unwrappedTimeouts: WithTimeoutLines[] = [];

/** The CJS build's withTimeout lives on lib/withTimeout.js's exports, which the index reads at each access. */
function patchWithTimeout(context: AdapterContext): void {
  const inner = createRequire(join(context.library.root, "package.json"))("./lib/withTimeout.js") as Record<string, unknown>;
  wrapMethod<WithTimeout>(inner, "withTimeout", (original) => wrapWithTimeout(original, context));
}

type WithTimeout = (sync: object, timeout: number, error?: unknown) => Record<string, unknown>;

/**
 * withTimeout's wrapper, recorded: waits through it carry `insight.timeout_ms`, and end when the
 * wrapper settles (the lock, or the timeout), even though the library's own request stays queued
 * until it gets the lock and gives it straight back.
 */
function wrapWithTimeout(original: WithTimeout, context: AdapterContext): WithTimeout {
  return function withTimeout(sync: object, timeout: number, error?: unknown) {
    const wrapper = original.call(undefined, sync, timeout, ...(error === undefined ? [] : [error]));
    if (!context.on() || !(timeout > 0)) return wrapper;
    context.safely(() => {
      timeoutOf.set(sync, timeout);
      const acquire = wrapper.acquire as (...args: unknown[]) => Promise<unknown>;
      wrapper.acquire = function (this: unknown, ...args: unknown[]) {
        const outer = { timeoutMs: timeout, wait: undefined as TrackedWait | undefined };
        const previous = timed;
        timed = outer;
        let promise: Promise<unknown>;
        try {
          promise = acquire.apply(this, args);
        } finally {
          timed = previous;
        }
        return context.safely(() => {
          const wait = outer.wait;
          if (wait === undefined) {
            claim(promise);
            return promise;
          }
          const end = () => wait.end();
          return follow(promise, end, end);
        }, promise);
      };
      const runExclusive = wrapper.runExclusive as (...args: unknown[]) => Promise<unknown>;
      wrapper.runExclusive = function (this: unknown, ...args: unknown[]) {
        const promise = runExclusive.apply(this, args);
        context.safely(() => claim(promise));
        return promise;
      };
    });
    return wrapper;
  };
}

export const asyncMutexAdapter: AdapterDefinition = {
  packageName: "async-mutex",
  versions: { from: "0.5.0", below: "0.6.0" },
  formats: ["cjs", "esm"],
  patch,
  // The ESM build's withTimeout, rewritten as it loads under --import (esm-hooks.ts).
  wrapExport: (name, original, context) => (name === "async-mutex:withTimeout" ? wrapWithTimeout(original as WithTimeout, context) : original),
};
