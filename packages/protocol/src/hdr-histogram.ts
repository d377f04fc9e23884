/**
 * Decoder for the HdrHistogram V2 serialization carried in
 * `DurationHistogram.raw_histogram` (values are nanoseconds).
 *
 * No maintained npm package decodes V2 bytes into something we can query
 * exactly (hdr-histogram-js decodes into its own float-based model and pulls in
 * a wasm build), so this is a small exact decoder. Values and counts are
 * `bigint` because tokio's histograms are u64 on the wire; the bucket
 * arithmetic follows the HdrHistogram definition so that min, max, mean and
 * quantiles match what the Rust `hdrhistogram` crate reports for the same bytes.
 */

const V2_COOKIE = 0x1c849303;
const V2_COMPRESSED_COOKIE = 0x1c849304;
/** Rust and Java set word-size bits in 0xf0 of the cookie; they carry no meaning for decoding. */
const COOKIE_FLAG_BITS = 0xf0;
const HEADER_BYTES = 40;

export class HdrHistogramError extends Error {
  override name = "HdrHistogramError";
}

export interface HdrRecordedValue {
  /** The highest value equivalent to the bucket, as `iter_recorded` reports it. */
  readonly value: bigint;
  readonly count: bigint;
}

export interface DecodeOptions {
  /**
   * Inflates a zlib stream, needed only for the compressed V2 variant, which
   * console-subscriber does not send. Pass `zlib.inflateSync` from Node.
   */
  readonly inflate?: (bytes: Uint8Array) => Uint8Array;
}

/** A decoded, read-only histogram. */
export class HdrHistogram {
  readonly lowestDiscernibleValue: bigint;
  readonly highestTrackableValue: bigint;
  readonly significantFigures: number;
  readonly totalCount: bigint;

  readonly #unitMagnitude: bigint;
  readonly #subBucketHalfCountMagnitude: bigint;
  readonly #subBucketHalfCount: bigint;
  readonly #subBucketCount: bigint;
  readonly #subBucketMask: bigint;
  /** Non-zero counts only, in index order: most buckets of a latency histogram are empty. */
  readonly #indices: number[];
  readonly #counts: bigint[];

  constructor(lowest: bigint, highest: bigint, sigfig: number, indices: number[], counts: bigint[]) {
    this.lowestDiscernibleValue = lowest;
    this.highestTrackableValue = highest;
    this.significantFigures = sigfig;
    const largestSingleUnit = 2n * 10n ** BigInt(sigfig);
    const subBucketCountMagnitude = BigInt(bitLength(largestSingleUnit - 1n));
    this.#subBucketHalfCountMagnitude = (subBucketCountMagnitude > 1n ? subBucketCountMagnitude : 1n) - 1n;
    this.#unitMagnitude = BigInt(bitLength(lowest) - 1);
    this.#subBucketCount = 1n << (this.#subBucketHalfCountMagnitude + 1n);
    this.#subBucketHalfCount = this.#subBucketCount / 2n;
    this.#subBucketMask = (this.#subBucketCount - 1n) << this.#unitMagnitude;
    this.#indices = indices;
    this.#counts = counts;
    this.totalCount = counts.reduce((a, b) => a + b, 0n);
  }

  /** The values recorded, one entry per non-empty bucket. */
  recorded(): HdrRecordedValue[] {
    return this.#indices.map((index, i) => ({
      value: this.highestEquivalent(this.#valueForIndex(index)),
      count: this.#counts[i] ?? 0n,
    }));
  }

  /** The smallest recorded value (0 when empty). */
  min(): bigint {
    const first = this.#indices[0];
    if (first === undefined || first === 0) return 0n;
    return this.lowestEquivalent(this.#valueForIndex(first));
  }

  /** The largest recorded value (0 when empty). */
  max(): bigint {
    const last = this.#indices[this.#indices.length - 1];
    if (last === undefined) return 0n;
    const value = this.#valueForIndex(last);
    return value === 0n ? 0n : this.highestEquivalent(value);
  }

  mean(): number {
    if (this.totalCount === 0n) return 0;
    const total = Number(this.totalCount);
    let mean = 0;
    this.#indices.forEach((index, i) => {
      const value = this.medianEquivalent(this.#valueForIndex(index));
      mean += (Number(value) * Number(this.#counts[i] ?? 0n)) / total;
    });
    return mean;
  }

  /** The value at quantile `q` in [0, 1]; `valueAtQuantile(0.99)` is p99. */
  valueAtQuantile(q: number): bigint {
    const quantile = Math.min(Math.max(q, 0), 1);
    const wanted = quantileRank(quantile, this.totalCount);
    let seen = 0n;
    for (let i = 0; i < this.#indices.length; i++) {
      seen += this.#counts[i] ?? 0n;
      if (seen >= wanted) {
        const value = this.#valueForIndex(this.#indices[i] ?? 0);
        return quantile === 0 ? this.lowestEquivalent(value) : this.highestEquivalent(value);
      }
    }
    return 0n;
  }

  lowestEquivalent(value: bigint): bigint {
    const bucket = this.#bucketFor(value);
    const subBucket = value >> (bucket + this.#unitMagnitude);
    return subBucket << (bucket + this.#unitMagnitude);
  }

  highestEquivalent(value: bigint): bigint {
    return this.lowestEquivalent(value) + this.#equivalentRange(value) - 1n;
  }

  medianEquivalent(value: bigint): bigint {
    return this.lowestEquivalent(value) + (this.#equivalentRange(value) >> 1n);
  }

  #equivalentRange(value: bigint): bigint {
    const bucket = this.#bucketFor(value);
    const subBucket = value >> (bucket + this.#unitMagnitude);
    const adjusted = subBucket >= this.#subBucketCount ? bucket + 1n : bucket;
    return 1n << (this.#unitMagnitude + adjusted);
  }

  #bucketFor(value: bigint): bigint {
    const pow2ceiling = BigInt(bitLength(value | this.#subBucketMask));
    return pow2ceiling - this.#unitMagnitude - (this.#subBucketHalfCountMagnitude + 1n);
  }

  #valueForIndex(index: number): bigint {
    const i = BigInt(index);
    let bucket = (i >> this.#subBucketHalfCountMagnitude) - 1n;
    let subBucket = (i & (this.#subBucketHalfCount - 1n)) + this.#subBucketHalfCount;
    if (bucket < 0n) {
      subBucket -= this.#subBucketHalfCount;
      bucket = 0n;
    }
    return subBucket << (bucket + this.#unitMagnitude);
  }
}

/**
 * The 1-based rank a quantile falls on. The product is rounded up, except
 * that a product within float noise of an integer is taken as that integer:
 * 0.7 * 10 must select the 7th value, not the 8th.
 */
function quantileRank(quantile: number, total: bigint): bigint {
  const product = quantile * Number(total);
  const nearest = Math.round(product);
  const rank = Math.abs(product - nearest) < 1e-9 * Math.max(1, product) ? nearest : Math.ceil(product);
  return rank < 1 ? 1n : BigInt(rank);
}

function bitLength(value: bigint): number {
  return value <= 0n ? 0 : value.toString(2).length;
}

/** Decodes HdrHistogram V2 bytes. Throws `HdrHistogramError` naming the byte at fault. */
export function decodeHdrHistogram(bytes: Uint8Array, options: DecodeOptions = {}): HdrHistogram {
  if (bytes.length < 8) {
    throw new HdrHistogramError(`HdrHistogram: ${bytes.length} bytes is too short for a header (need ${HEADER_BYTES})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cookie = view.getUint32(0) & ~COOKIE_FLAG_BITS;
  if (cookie === V2_COMPRESSED_COOKIE) {
    if (!options.inflate) {
      throw new HdrHistogramError("HdrHistogram: compressed V2 encoding needs an inflate function (options.inflate)");
    }
    const length = view.getUint32(4);
    if (8 + length > bytes.length) {
      throw new HdrHistogramError(`HdrHistogram: compressed length ${length} runs past the end (${bytes.length - 8} bytes after byte 8)`);
    }
    return decodeHdrHistogram(options.inflate(bytes.subarray(8, 8 + length)), options);
  }
  if (cookie !== (V2_COOKIE & ~COOKIE_FLAG_BITS)) {
    throw new HdrHistogramError(`HdrHistogram: unknown cookie 0x${view.getUint32(0).toString(16)} at byte 0 (expected a V2 cookie)`);
  }
  if (bytes.length < HEADER_BYTES) {
    throw new HdrHistogramError(`HdrHistogram: ${bytes.length} bytes is too short for a header (need ${HEADER_BYTES})`);
  }
  const payloadLength = view.getUint32(4);
  const normalizingOffset = view.getInt32(8);
  const sigfig = view.getInt32(12);
  const lowest = view.getBigUint64(16);
  const highest = view.getBigUint64(24);
  if (normalizingOffset !== 0) {
    throw new HdrHistogramError(`HdrHistogram: normalizing index offset ${normalizingOffset} at byte 8 is not supported`);
  }
  if (sigfig < 0 || sigfig > 5) {
    throw new HdrHistogramError(`HdrHistogram: significant figures ${sigfig} at byte 12 is outside 0..5`);
  }
  if (lowest < 1n) {
    throw new HdrHistogramError(`HdrHistogram: lowest discernible value ${lowest} at byte 16 must be at least 1`);
  }
  const end = HEADER_BYTES + payloadLength;
  if (end > bytes.length) {
    throw new HdrHistogramError(
      `HdrHistogram: payload length ${payloadLength} at byte 4 runs past the end (${bytes.length - HEADER_BYTES} bytes follow the header)`,
    );
  }
  const indices: number[] = [];
  const counts: bigint[] = [];
  let index = 0;
  let pos = HEADER_BYTES;
  while (pos < end) {
    const start = pos;
    let raw = 0n;
    let shift = 0n;
    for (let n = 0; ; n++) {
      if (pos >= end) throw new HdrHistogramError(`HdrHistogram: truncated varint starting at byte ${start}`);
      const byte = bytes[pos++] ?? 0;
      if (n === 8) {
        // The ninth byte of this varint form carries all eight bits.
        raw |= BigInt(byte) << 56n;
        break;
      }
      raw |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) break;
    }
    const value = (raw >> 1n) ^ -(raw & 1n);
    if (value < 0n) {
      index += Number(-value);
    } else {
      if (value > 0n) {
        indices.push(index);
        counts.push(value);
      }
      index += 1;
    }
  }
  return new HdrHistogram(lowest, highest, sigfig, indices, counts);
}
