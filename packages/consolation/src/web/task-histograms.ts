/**
 * Poll-time and scheduled-time histograms for one task, on request. The
 * target pays for every open WatchTaskDetails stream, so the server opens one
 * only when a page asks, takes the first message and closes it again.
 */
import { inflateSync } from "node:zlib";
import { decodeHdrHistogram, type tasks } from "@insight/protocol";
import type { ConsoleClient } from "@insight/protocol/client";
import type { WebHistogram, WebHistograms } from "./web-snapshot.js";

const WAIT_MS = 3000;
const PERCENTILES = [10, 25, 50, 75, 90, 95, 99] as const;
const BUCKETS = 48;

/** Summarises one HdrHistogram of nanoseconds into milliseconds and equal-width buckets for drawing. */
export function summarizeHistogram(histogram: tasks.DurationHistogram | undefined): WebHistogram | null {
  if (!histogram || histogram.rawHistogram.length === 0) return null;
  let decoded;
  try {
    decoded = decodeHdrHistogram(histogram.rawHistogram, { inflate: (bytes) => inflateSync(bytes) });
  } catch {
    // An unreadable histogram costs only its panel.
    return null;
  }
  const min = decoded.min();
  const max = decoded.max();
  const span = max - min;
  const buckets = new Array<number>(BUCKETS).fill(0);
  for (const { value, count } of decoded.recorded()) {
    const index = span === 0n ? 0 : Math.min(BUCKETS - 1, Number(((value - min) * BigInt(BUCKETS)) / (span + 1n)));
    buckets[Math.max(0, index)]! += Number(count);
  }
  return {
    count: Number(decoded.totalCount),
    minMs: Number(min) / 1e6,
    maxMs: Number(max) / 1e6,
    percentiles: PERCENTILES.map((p) => [p, Number(decoded.valueAtQuantile(p / 100)) / 1e6] as const),
    buckets,
  };
}

export function summarizeDetails(details: tasks.TaskDetails, taskKey: string): WebHistograms {
  const poll = details.pollTimesHistogram.case === "histogram" ? details.pollTimesHistogram.value : undefined;
  return { taskKey, poll: summarizeHistogram(poll), scheduled: summarizeHistogram(details.scheduledTimesHistogram) };
}

export async function fetchHistograms(client: ConsoleClient, spanId: bigint, taskKey: string): Promise<WebHistograms | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), WAIT_MS);
  try {
    for await (const details of client.watchTaskDetails(spanId, abort.signal)) return summarizeDetails(details, taskKey);
    return undefined;
  } catch {
    // A finished task, or a target without details, just has no histograms.
    return undefined;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
