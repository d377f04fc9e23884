/**
 * The store's notion of time, shared by every entity. Entities keep times as
 * plain numbers of nanoseconds relative to an epoch (the first time seen):
 * exact for ~104 days, and unlike bigint they cost no heap object each and
 * no bigint arithmetic on the hot path. Public getters convert back.
 */
import type { TimestampView } from "@async-insight/protocol";

/** A wire Timestamp, or the same values read without decoding (seconds may be a number). */
type Timestamp = TimestampView;

export class StoreClock {
  /** `Update.now` of the latest update, in ns since the Unix epoch. */
  now: bigint | undefined = undefined;
  /** `now` as a relative number (NaN before the first update). */
  nowRel = Number.NaN;
  #epoch: bigint | undefined = undefined;
  #epochSeconds = 0;
  #epochNanos = 0;

  get epoch(): bigint | undefined {
    return this.#epoch;
  }

  #setEpoch(seconds: number, nanos: number): void {
    this.#epochSeconds = seconds;
    this.#epochNanos = nanos;
    this.#epoch = BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  }

  /** A wire timestamp as relative ns; NaN when absent. */
  relTs(ts: Timestamp | undefined): number {
    if (!ts) return Number.NaN;
    const seconds = Number(ts.seconds);
    if (this.#epoch === undefined) this.#setEpoch(seconds, ts.nanos);
    return (seconds - this.#epochSeconds) * 1e9 + (ts.nanos - this.#epochNanos);
  }

  /** Absolute ns as relative ns. */
  rel(ns: bigint): number {
    if (this.#epoch === undefined) {
      const seconds = ns / 1_000_000_000n;
      this.#setEpoch(Number(seconds), Number(ns - seconds * 1_000_000_000n));
    }
    return Number(ns - this.#epoch!);
  }

  /** Relative ns back to absolute; undefined for NaN. */
  abs(rel: number): bigint | undefined {
    if (Number.isNaN(rel) || this.#epoch === undefined) return undefined;
    return this.#epoch + BigInt(Math.round(rel));
  }

  setNow(ts: Timestamp | undefined): void {
    if (!ts) return;
    this.nowRel = this.relTs(ts);
    this.now = this.abs(this.nowRel);
  }
}
