/**
 * Time as insight records it: `performance.now()` milliseconds (a float, no
 * allocation on the hot path), turned into wall-clock nanoseconds only when an
 * update is built. `timeOrigin` anchors the monotonic clock to the epoch once,
 * the way console-subscriber anchors `Instant`s to one `SystemTime`.
 */
import { performance } from "node:perf_hooks";

const originNs = BigInt(Math.round(performance.timeOrigin * 1000)) * 1000n;

export function now(): number {
  return performance.now();
}

/** Epoch nanoseconds of a `now()` reading. */
export function toEpochNanos(ms: number): bigint {
  return originNs + BigInt(Math.round(ms * 1e6));
}

/** A duration in `now()` milliseconds as integer nanoseconds. */
export function msToNanos(ms: number): bigint {
  return BigInt(Math.max(0, Math.round(ms * 1e6)));
}
