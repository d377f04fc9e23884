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
  /**
   * A ring of [type, a, b] triples, NaN marking "absent". It grows by
   * doubling up to the capacity and then overwrites the oldest entry, so a
   * full timeline holds exactly `capacity` entries with no slack: with 10k
   * tasks every spare entry is a quarter of a megabyte. A plain array of
   * doubles, not a Float64Array: V8 stores it unboxed just the same, without
   * a typed array's two extra objects and off-heap allocation per task.
   */
  #data: number[];
  /** Slot of the oldest entry. */
  #head = 0;
  #length = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
    this.#data = doubles(Math.min(this.#capacity, 2) * STRIDE);
  }

  get length(): number {
    return this.#length;
  }

  /** Offset into the data of the i-th entry, oldest first. */
  #at(i: number): number {
    return ((this.#head + i) % (this.#data.length / STRIDE)) * STRIDE;
  }

  #push(type: number, a: number, b: number): void {
    const slots = this.#data.length / STRIDE;
    if (this.#length === slots && slots < this.#capacity) {
      const grown = doubles(Math.min(this.#capacity, slots * 2) * STRIDE);
      for (let i = 0; i < this.#length; i++) {
        const from = this.#at(i);
        for (let k = 0; k < STRIDE; k++) grown[i * STRIDE + k] = this.#data[from + k]!;
      }
      this.#data = grown;
      this.#head = 0;
    }
    let offset: number;
    if (this.#length < this.#data.length / STRIDE) offset = this.#at(this.#length++);
    else {
      offset = this.#head * STRIDE;
      this.#head = (this.#head + 1) % (this.#data.length / STRIDE);
    }
    this.#data[offset] = type;
    this.#data[offset + 1] = a;
    this.#data[offset + 2] = b;
  }

  poll(start: number, end: number | undefined): void {
    this.#push(POLL, start, end ?? Number.NaN);
  }

  /** Closes the newest open poll that started at `start`; returns whether one was found. */
  closePoll(start: number, end: number): boolean {
    const data = this.#data;
    for (let n = this.#length - 1; n >= 0; n--) {
      const i = this.#at(n);
      if (data[i] === POLL && data[i + 1] === start) {
        if (Number.isNaN(data[i + 2]!)) {
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
    for (let n = this.#length - 1; n >= 0; n--) {
      const i = this.#at(n);
      if (data[i] !== WAKE) continue;
      if (data[i + 1]! < notBefore) return false;
      if (Number.isNaN(data[i + 2]!)) {
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
    for (let n = 0; n < this.#length; n++) {
      const i = this.#at(n);
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
    for (let n = 0; n < this.#length; n++) {
      const i = this.#at(n);
      const type = data[i];
      if (type !== POLL && type !== SCHEDULED) continue;
      const b = data[i + 2] ?? Number.NaN;
      fn(type === POLL ? "poll" : "scheduled", data[i + 1] ?? 0, Number.isNaN(b) ? openEnd : b);
    }
  }
}

/** An array of `length` doubles, packed from the start so V8 never boxes its elements. */
function doubles(length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(Number.NaN);
  return out;
}
