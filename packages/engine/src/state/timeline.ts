/**
 * A bounded per-task record of what the updates revealed: observed polls,
 * scheduled spans, wakes and state changes. Updates are sampled (only the
 * latest poll between two updates is visible), so this is an observation log,
 * not a full trace. Entries are packed as numbers relative to the store's
 * epoch so an idle task costs a few dozen bytes, not a few objects.
 */
import type { DisplayId, Nanos, TaskState, TimelineEntry } from "../model.js";

const POLL = 0;
const SCHEDULED = 1;
const WAKE = 2;
const STATE = 3;
const STRIDE = 3;

const STATES: readonly TaskState[] = ["running", "scheduled", "idle", "completed"];

export class Timeline {
  /** [type, a, b] triples; NaN marks "absent". */
  #data: number[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get length(): number {
    return this.#data.length / STRIDE;
  }

  #push(type: number, a: number, b: number): void {
    const data = this.#data;
    data.push(type, a, b);
    // Trim in halves so the amortized cost per push stays constant.
    if (data.length >= 2 * this.#capacity * STRIDE) data.splice(0, data.length - this.#capacity * STRIDE);
  }

  poll(start: number, end: number | undefined): void {
    this.#push(POLL, start, end ?? Number.NaN);
  }

  /** Closes the newest open poll that started at `start`; returns whether one was found. */
  closePoll(start: number, end: number): boolean {
    const data = this.#data;
    for (let i = data.length - STRIDE; i >= 0; i -= STRIDE) {
      if (data[i] === POLL && data[i + 1] === start) {
        if (Number.isNaN(data[i + 2])) {
          data[i + 2] = end;
          return true;
        }
        return false;
      }
    }
    return false;
  }

  scheduled(start: number, end: number): void {
    if (end > start) this.#push(SCHEDULED, start, end);
  }

  wake(at: number, waker: DisplayId | undefined): void {
    this.#push(WAKE, at, waker === undefined ? Number.NaN : Number(waker));
  }

  /** Names the waker of the newest wake that has none, at or after `notBefore`. */
  attributeWake(waker: DisplayId, notBefore: number): boolean {
    const data = this.#data;
    for (let i = data.length - STRIDE; i >= 0; i -= STRIDE) {
      if (data[i] !== WAKE) continue;
      if ((data[i + 1] ?? 0) < notBefore) return false;
      if (Number.isNaN(data[i + 2])) {
        data[i + 2] = Number(waker);
        return true;
      }
      return false;
    }
    return false;
  }

  state(at: number, state: TaskState): void {
    this.#push(STATE, at, STATES.indexOf(state));
  }

  entries(epoch: Nanos): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    const data = this.#data;
    const abs = (n: number): Nanos => epoch + BigInt(Math.round(n));
    for (let i = 0; i < data.length; i += STRIDE) {
      const type = data[i];
      const a = data[i + 1] ?? 0;
      const b = data[i + 2] ?? Number.NaN;
      if (type === POLL) out.push({ type: "poll", start: abs(a), end: Number.isNaN(b) ? undefined : abs(b) });
      else if (type === SCHEDULED) out.push({ type: "scheduled", start: abs(a), end: abs(b) });
      else if (type === WAKE) out.push({ type: "wake", at: abs(a), waker: Number.isNaN(b) ? undefined : BigInt(b) });
      else out.push({ type: "state", at: abs(a), state: STATES[b] ?? "idle" });
    }
    return out;
  }

  /** Raw scan for hot readers (sparklines, starvation): calls back per poll/scheduled span. */
  forEachSpan(fn: (type: "poll" | "scheduled", start: number, end: number) => void, openEnd: number): void {
    const data = this.#data;
    for (let i = 0; i < data.length; i += STRIDE) {
      const type = data[i];
      if (type !== POLL && type !== SCHEDULED) continue;
      const b = data[i + 2] ?? Number.NaN;
      fn(type === POLL ? "poll" : "scheduled", data[i + 1] ?? 0, Number.isNaN(b) ? openEnd : b);
    }
  }
}
