/** Decoding `TaskDetails` histograms, and percentiles for the details view. */
import { decodeHdrHistogram, type HdrHistogram, type tasks } from "@async-insight/protocol";
import type { DurationHistogramView } from "../model.js";

/** tokio-console's details panels show these. */
export const DEFAULT_PERCENTILES: readonly number[] = [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];

export function decodeDurationHistogram(h: tasks.DurationHistogram | undefined): DurationHistogramView | undefined {
  if (!h || h.rawHistogram.length === 0) return undefined;
  try {
    return {
      histogram: decodeHdrHistogram(h.rawHistogram),
      maxValue: h.maxValue,
      highOutliers: h.highOutliers,
      highestOutlier: h.highestOutlier,
    };
  } catch {
    // A corrupt histogram should not take the store down; the panel shows nothing.
    return undefined;
  }
}

export function decodeLegacyHistogram(bytes: Uint8Array): DurationHistogramView | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const histogram = decodeHdrHistogram(bytes);
    return { histogram, maxValue: histogram.highestTrackableValue, highOutliers: 0n, highestOutlier: undefined };
  } catch {
    return undefined;
  }
}

export interface Percentile {
  readonly quantile: number;
  readonly value: bigint;
}

/** Values at the given quantiles (default p10..p99), in nanoseconds. */
export function percentiles(h: HdrHistogram | DurationHistogramView, quantiles: readonly number[] = DEFAULT_PERCENTILES): Percentile[] {
  const histogram = "histogram" in h ? h.histogram : h;
  return quantiles.map((quantile) => ({ quantile, value: histogram.valueAtQuantile(quantile) }));
}
