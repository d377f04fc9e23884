/**
 * Per-task duration histograms, encoded in the HdrHistogram V2 format that
 * `TaskDetails` carries (the same layout as Rust's `hdrhistogram` crate with
 * lowest 1 ns, 2 significant figures and a 1 s maximum, console-subscriber's
 * configuration).
 *
 * Counts live in a sparse Map created on the first record: a dense V2 array
 * for this range has ~3,000 slots, and holding two of them for each of 100k
 * live tasks would cost gigabytes (tokio-console#639). Most tasks touch a
 * handful of buckets.
 */

/** 2 significant figures: sub-buckets of 256, halves of 128. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
const SUB_BUCKET_MASK = (SUB_BUCKET_HALF_COUNT << 1) - 1;
const SIGNIFICANT_FIGURES = 2;
/** Rust's V2 cookie, with the word-size flag bits it sets. */
const V2_COOKIE = 0x1c849313;

export const HISTOGRAM_MAX_NS = 1_000_000_000;

/** Index of the HdrHistogram counts array for `value` (an integer below 2^32). */
export function countsIndex(value: number): number {
  const bitLength = 32 - Math.clz32(value | SUB_BUCKET_MASK);
  const bucket = bitLength - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
  const subBucket = value >>> bucket;
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
}

export class DurationRecorder {
  #counts: Map<number, number> | undefined;
  highOutliers = 0;
  highestOutlier = 0;

  /** Records a duration in nanoseconds; values past the maximum are clamped and counted as outliers, as tokio does. */
  record(ns: number): void {
    let value = Math.max(0, Math.round(ns));
    if (value > HISTOGRAM_MAX_NS) {
      this.highOutliers++;
      if (value > this.highestOutlier) this.highestOutlier = value;
      value = HISTOGRAM_MAX_NS;
    }
    const index = countsIndex(value);
    const counts = (this.#counts ??= new Map());
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }

  get empty(): boolean {
    return this.#counts === undefined;
  }

  /** The V2 serialization (uncompressed). */
  encode(): Uint8Array {
    const entries = [...(this.#counts ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]);
    const payload: number[] = [];
    let next = 0;
    for (const [index, count] of entries) {
      const zeros = index - next;
      if (zeros === 1) writeZigZag(payload, 0);
      else if (zeros > 1) writeZigZag(payload, -zeros);
      writeZigZag(payload, count);
      next = index + 1;
    }
    const bytes = new Uint8Array(40 + payload.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, V2_COOKIE);
    view.setUint32(4, payload.length);
    view.setInt32(8, 0);
    view.setInt32(12, SIGNIFICANT_FIGURES);
    view.setBigUint64(16, 1n);
    view.setBigUint64(24, BigInt(HISTOGRAM_MAX_NS));
    view.setFloat64(32, 1);
    bytes.set(payload, 40);
    return bytes;
  }
}

/** ZigZag LEB128 as HdrHistogram writes it; our counts never need the 9-byte form. */
function writeZigZag(out: number[], value: number): void {
  let n = value >= 0 ? value * 2 : -value * 2 - 1;
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}
