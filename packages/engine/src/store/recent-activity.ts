/** A task's busy fraction per time bucket, from its timeline's observed polls: a sparkline. */
import type { Nanos } from "../model.js";
import type { StoreClock } from "../entities/clock.js";
import type { Timeline } from "../entities/timeline.js";

/**
 * Busy fraction per bucket over the last `windowNs` (oldest first). Polls
 * between updates that were not observed individually are missing, so this
 * is a lower bound.
 */
export function recentActivity(timeline: Timeline | undefined, clock: StoreClock, windowNs: Nanos, buckets: number): number[] {
  const out = new Array<number>(Math.max(0, buckets)).fill(0);
  if (!timeline || clock.now === undefined || buckets <= 0) return out;
  const end = clock.nowRel;
  const width = Number(windowNs) / buckets;
  const start = end - Number(windowNs);
  timeline.forEachSpan((type, a, b) => {
    if (type !== "poll" || b <= start || a >= end) return;
    for (let i = Math.max(0, Math.floor((a - start) / width)); i < buckets; i++) {
      const lo = start + i * width;
      const hi = lo + width;
      if (lo >= b) break;
      out[i]! += (Math.min(hi, b) - Math.max(lo, a)) / width;
    }
  }, end);
  return out.map((v) => Math.min(1, Math.max(0, v)));
}
