/** Turns a WatchTaskDetails histogram (HdrHistogram bytes, nanoseconds) into what both consoles draw: percentiles and equal-width buckets. */
import { decodeHdrHistogram, type tasks } from "@async-insight/protocol";
import { inflateSync } from "node:zlib";

/** Summary of one duration histogram from WatchTaskDetails. */
export interface HistogramSummary {
  readonly count: bigint;
  readonly minNs: bigint;
  readonly maxNs: bigint;
  readonly highOutliers: bigint;
  readonly percentiles: ReadonlyArray<readonly [number, bigint]>;
  /** Counts per equal-width bucket between min and max, for drawing. */
  readonly buckets: readonly number[];
}

export interface TaskHistogramSummaries {
  readonly protocolId: bigint;
  readonly poll: HistogramSummary | undefined;
  readonly scheduled: HistogramSummary | undefined;
}

const PERCENTILES = [10, 25, 50, 75, 90, 95, 99] as const;
const BUCKETS = 48;

export function summarizeHistogram(histogram: tasks.DurationHistogram | undefined): HistogramSummary | undefined {
  if (!histogram || histogram.rawHistogram.length === 0) return undefined;
  let decoded: ReturnType<typeof decodeHdrHistogram>;
  try {
    decoded = decodeHdrHistogram(histogram.rawHistogram, { inflate: (b) => inflateSync(b) });
  } catch {
    // A histogram we cannot read only costs the panel; the rest of the view still works.
    return undefined;
  }
  const minNs = decoded.min();
  const maxNs = decoded.max();
  const buckets = new Array<number>(BUCKETS).fill(0);
  const span = maxNs - minNs;
  for (const { value, count } of decoded.recorded()) {
    const index = span === 0n ? 0 : Math.min(BUCKETS - 1, Number(((value - minNs) * BigInt(BUCKETS)) / (span + 1n)));
    buckets[Math.max(0, index)]! += Number(count);
  }
  return {
    count: decoded.totalCount,
    minNs,
    // max_value is the histogram's configured ceiling, not a sample; the decoded max is what was seen.
    maxNs,
    highOutliers: histogram.highOutliers,
    percentiles: PERCENTILES.map((p) => [p, decoded.valueAtQuantile(p / 100)] as const),
    buckets,
  };
}

export function summarizeTaskDetails(details: tasks.TaskDetails): TaskHistogramSummaries | undefined {
  const id = details.taskId?.id;
  if (id === undefined) return undefined;
  const poll = details.pollTimesHistogram.case === "histogram" ? details.pollTimesHistogram.value : undefined;
  return { protocolId: id, poll: summarizeHistogram(poll), scheduled: summarizeHistogram(details.scheduledTimesHistogram) };
}
