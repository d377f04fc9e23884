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
/** Entry kinds are folded into the low two bits of the entry's time: `(at - base) * KINDS + kind`. */
const KINDS = 4;
/** Two doubles an entry: the time with its kind, and the second value. */
const STRIDE = 2;
/** data[0] is the base that entry times are counted from. */
const HEADER = 1;
/** Past this distance from the base a time times KINDS would no longer be an exact double (2^53). */
const SPAN_LIMIT = 2 ** 51;

const STATES: readonly TaskState[] = ["running", "scheduled", "idle", "completed"];

export class Timeline {
  /**
   * [base, then a ring of (time * 4 + kind, b) pairs], NaN marking an absent
   * b. It grows by doubling up to the capacity and then overwrites the oldest
   * entry, so a full timeline holds exactly `capacity` entries with no slack:
   * with 10k tasks every spare entry costs 160 kB. Two doubles an entry, not
   * three: times are whole nanoseconds, so the kind fits in the low bits of a
   * time counted from the timeline's own base (exact for 26 days each way).
   * A plain array of doubles, not a Float64Array: V8 stores it unboxed just
   * the same, without a typed array's two extra objects and off-heap
   * allocation per task.
   */
  #data: number[];
  /** Slot of the oldest entry. */
  #head = 0;
  #length = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
    this.#data = doubles(HEADER + Math.min(this.#capacity, 2) * STRIDE);
  }

  get length(): number {
    return this.#length;
  }

  get #slots(): number {
    return (this.#data.length - HEADER) / STRIDE;
  }

  /** Offset into the data of the i-th entry, oldest first. */
  #at(i: number): number {
    return HEADER + ((this.#head + i) % this.#slots) * STRIDE;
  }

  #kind(offset: number): number {
    const packed = this.#data[offset]!;
    return packed - Math.floor(packed / KINDS) * KINDS;
  }

  /** The entry's time, relative to the store's epoch. */
  #time(offset: number): number {
    return this.#data[0]! + Math.floor(this.#data[offset]! / KINDS);
  }

  #push(kind: number, at: number, b: number): void {
    const time = Math.round(at);
    if (this.#length === 0) this.#data[0] = time;
    else if (Math.abs(time - this.#data[0]!) >= SPAN_LIMIT) this.#rebase(time);
    const slots = this.#slots;
    if (this.#length === slots && slots < this.#capacity) this.#grow(Math.min(this.#capacity, slots * 2));
    let offset: number;
    if (this.#length < this.#slots) offset = this.#at(this.#length++);
    else {
      offset = this.#at(0);
      this.#head = (this.#head + 1) % this.#slots;
    }
    this.#data[offset] = (time - this.#data[0]!) * KINDS + kind;
    this.#data[offset + 1] = b;
  }

  /** Copies the entries, oldest first, into a ring of `slots` slots. */
  #grow(slots: number): void {
    const grown = doubles(HEADER + slots * STRIDE);
    grown[0] = this.#data[0]!;
    for (let i = 0; i < this.#length; i++) {
      const from = this.#at(i);
      grown[HEADER + i * STRIDE] = this.#data[from]!;
      grown[HEADER + i * STRIDE + 1] = this.#data[from + 1]!;
    }
    this.#data = grown;
    this.#head = 0;
  }

  /**
   * Counts times from `time` from now on (a task watched for more than 26
   * days); entries too far from it to be kept exactly are dropped.
   */
  #rebase(time: number): void {
    const kept: [number, number, number][] = [];
    for (let i = 0; i < this.#length; i++) {
      const offset = this.#at(i);
      const at = this.#time(offset);
      if (Math.abs(at - time) < SPAN_LIMIT) kept.push([this.#kind(offset), at, this.#data[offset + 1]!]);
    }
    this.#data[0] = time;
    this.#head = 0;
    this.#length = kept.length;
    kept.forEach(([kind, at, b], i) => {
      this.#data[HEADER + i * STRIDE] = (at - time) * KINDS + kind;
      this.#data[HEADER + i * STRIDE + 1] = b;
    });
  }

  poll(start: number, end: number | undefined): void {
    this.#push(POLL, start, end ?? Number.NaN);
  }

  /** Closes the newest open poll that started at `start`; returns whether one was found. */
  closePoll(start: number, end: number): boolean {
    const data = this.#data;
    for (let n = this.#length - 1; n >= 0; n--) {
      const i = this.#at(n);
      if (this.#kind(i) === POLL && this.#time(i) === start) {
        if (Number.isNaN(data[i + 1]!)) {
          data[i + 1] = end;
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
      if (this.#kind(i) !== WAKE) continue;
      if (this.#time(i) < notBefore) return false;
      if (Number.isNaN(data[i + 1]!)) {
        data[i + 1] = Number(waker);
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
      const kind = this.#kind(i);
      const a = this.#time(i);
      const b = data[i + 1] ?? Number.NaN;
      if (kind === POLL) out.push({ type: "poll", start: abs(a), end: Number.isNaN(b) ? undefined : abs(b) });
      else if (kind === SCHEDULED) out.push({ type: "scheduled", start: abs(a), end: abs(b) });
      else if (kind === WAKE) out.push({ type: "wake", at: abs(a), waker: Number.isNaN(b) ? undefined : BigInt(b) });
      else out.push({ type: "state", at: abs(a), state: STATES[b] ?? "idle" });
    }
    return out;
  }

  /** Raw scan for hot readers (sparklines, starvation): calls back per poll/scheduled span. */
  forEachSpan(fn: (type: "poll" | "scheduled", start: number, end: number) => void, openEnd: number): void {
    const data = this.#data;
    for (let n = 0; n < this.#length; n++) {
      const i = this.#at(n);
      const kind = this.#kind(i);
      if (kind !== POLL && kind !== SCHEDULED) continue;
      const b = data[i + 1] ?? Number.NaN;
      fn(kind === POLL ? "poll" : "scheduled", this.#time(i), Number.isNaN(b) ? openEnd : b);
    }
  }
}

/** An array of `length` doubles, packed from the start so V8 never boxes its elements. */
function doubles(length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(Number.NaN);
  // push grows the backing store by half again plus 16, so a 65-double ring would hold room for 77:
  // the copy is exactly `length` long (and stays a packed array of doubles).
  return out.slice();
}
