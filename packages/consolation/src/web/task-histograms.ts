/**
 * Poll-time and scheduled-time histograms for one task, on request. The
 * target pays for every open WatchTaskDetails stream, so the server opens one
 * only when a page asks, takes the first message and closes it again.
 */
import type { tasks } from "@async-insight/protocol";
import type { ConsoleClient } from "@async-insight/client";
import { summarizeHistogram as summarizeNs } from "../wording/histogram-summary.js";
import type { WebHistogram, WebHistograms } from "@async-insight/web-contract";

const WAIT_MS = 3000;

/** The shared summary, in the milliseconds the page's JSON uses. */
export function summarizeHistogramMs(histogram: tasks.DurationHistogram | undefined): WebHistogram | null {
  const summary = summarizeNs(histogram);
  if (!summary) return null;
  return {
    count: Number(summary.count),
    minMs: Number(summary.minNs) / 1e6,
    maxMs: Number(summary.maxNs) / 1e6,
    percentiles: summary.percentiles.map(([p, ns]) => [p, Number(ns) / 1e6] as const),
    buckets: summary.buckets,
  };
}

export function summarizeDetails(details: tasks.TaskDetails, taskKey: string): WebHistograms {
  const poll = details.pollTimesHistogram.case === "histogram" ? details.pollTimesHistogram.value : undefined;
  return { taskKey, poll: summarizeHistogramMs(poll), scheduled: summarizeHistogramMs(details.scheduledTimesHistogram) };
}

export async function histogramsFromTarget(client: ConsoleClient, spanId: bigint, taskKey: string): Promise<WebHistograms | undefined> {
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
