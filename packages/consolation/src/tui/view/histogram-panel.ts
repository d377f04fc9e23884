/** A small bar chart of a duration histogram with its percentiles, as the task view shows poll and scheduled times. */
import { formatDuration } from "../../format/duration.js";
import { fit, paint } from "../term/ansi.js";
import type { HistogramSummary } from "../../wording/histogram-summary.js";
import { STYLES } from "./theme.js";

const BLOCKS = " ▁▂▃▄▅▆▇█";
const CHART_ROWS = 4;

export function renderHistogramPanel(title: string, summary: HistogramSummary | undefined, width: number): string[] {
  if (!summary || summary.count === 0n) {
    return [fit(paint(title, STYLES.header), width), fit(paint("  no samples yet (details arrive once the target sends them)", STYLES.dim), width)];
  }
  const lines = [
    fit(
      `${paint(title, STYLES.header)}  ${summary.count} samples, max ${formatDuration(summary.maxNs)}` +
        (summary.highOutliers > 0n ? `, ${summary.highOutliers} outliers` : ""),
      width,
    ),
  ];
  const chartWidth = Math.max(1, Math.min(summary.buckets.length, width - 2));
  const buckets = resample(summary.buckets, chartWidth);
  const peak = Math.max(1, ...buckets);
  for (let row = CHART_ROWS - 1; row >= 0; row--) {
    let text = "";
    for (const count of buckets) {
      const eighths = Math.round((count / peak) * CHART_ROWS * 8) - row * 8;
      text += BLOCKS[Math.max(0, Math.min(8, eighths))];
    }
    lines.push(fit(`  ${paint(text, { fg: 6 })}`, width));
  }
  lines.push(fit(`  ${formatDuration(summary.minNs)}${" ".repeat(Math.max(1, chartWidth - 12))}${formatDuration(summary.maxNs)}`, width));
  const pcts = summary.percentiles.map(([p, ns]) => `p${p} ${formatDuration(ns)}`);
  // Two rows of percentiles keep the panel narrow enough to sit side by side.
  const half = Math.ceil(pcts.length / 2);
  lines.push(fit(`  ${pcts.slice(0, half).join("  ")}`, width), fit(`  ${pcts.slice(half).join("  ")}`, width));
  return lines;
}

function resample(buckets: readonly number[], width: number): number[] {
  if (buckets.length <= width) return buckets.slice();
  const out = new Array<number>(width).fill(0);
  buckets.forEach((count, i) => {
    out[Math.floor((i * width) / buckets.length)]! += count;
  });
  return out;
}
