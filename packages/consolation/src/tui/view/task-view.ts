/**
 * One task in detail: what it is, where it is stuck (file:line and the source
 * line), what it waits on and why, its wakers, and its poll and scheduling
 * latencies. Wait lines are selectable; Enter on one lists who can free it.
 */
import { formatDuration } from "../../format/duration.js";
import { fit, paint } from "../term/ansi.js";
import type { TaskHistogramSummaries } from "../../wording/histogram-summary.js";
import type { TaskDetail, WaitLine } from "../state/view-model.js";
import { renderHistogramPanel } from "./histogram-panel.js";
import { stateText, STYLES } from "./theme.js";

const pctOf = (part: bigint, total: bigint) => (total > 0n ? `${((Number(part) / Number(total)) * 100).toFixed(0)}%` : "0%");

export function waitLineText(wait: WaitLine): string {
  return `${wait.resourceLabel} (${wait.resourceType}): ${paint(` ${wait.reason} `, STYLES.reason)}`;
}

export function renderTaskView(
  detail: TaskDetail | undefined,
  histograms: TaskHistogramSummaries | undefined,
  selected: number,
  width: number,
  height: number,
): string[] {
  const out: string[] = [];
  const add = (text = "") => out.push(fit(text, width));
  if (!detail) {
    add(paint("This task is gone: it completed and was removed after the retention period. Esc goes back.", STYLES.dim));
    return pad(out, width, height);
  }
  const row = detail.row;
  add(
    `${paint(`Task ${row.id}`, STYLES.title)}${row.name ? ` ${paint(row.name, STYLES.title)}` : ""}  ${stateText(row.state)}  ${paint("kind", STYLES.label)} ${row.kind}${row.process !== undefined ? `  ${paint("process", STYLES.label)} ${row.process}` : ""}`,
  );
  add(
    `${paint("spawned at", STYLES.label)} ${row.location || "unknown"}   ${paint("parent", STYLES.label)} ${detail.parent ? detail.parent.label : "none known"}`,
  );
  add(
    `${paint("total", STYLES.label)} ${formatDuration(row.totalNs)}  ${paint("busy", STYLES.label)} ${formatDuration(row.busyNs)} (${pctOf(row.busyNs, row.totalNs)})` +
      `  ${paint("scheduled", STYLES.label)} ${formatDuration(row.scheduledNs)} (${pctOf(row.scheduledNs, row.totalNs)})` +
      `  ${paint("idle", STYLES.label)} ${formatDuration(row.idleNs)} (${pctOf(row.idleNs, row.totalNs)})  ${paint("polls", STYLES.label)} ${row.polls}`,
  );
  add();
  const site = detail.waits.find((w) => w.awaitLocation);
  if (row.state === "blocked" && site?.awaitLocation) {
    add(`${paint("Blocked at", STYLES.header)} ${site.awaitLocation}`);
    if (site.awaitSource) add(`  ${paint("│", STYLES.dim)} ${paint(site.awaitSource, STYLES.source)}`);
  } else if (site?.awaitLocation) {
    add(`${paint("Awaiting at", STYLES.header)} ${site.awaitLocation}${site.awaitSource ? `  ${paint(site.awaitSource, STYLES.source)}` : ""}`);
  }
  if (detail.waits.length > 0) {
    add(`${paint("Waiting on", STYLES.header)} ${paint("(↑/↓ select, Enter: the tasks that can free it)", STYLES.dim)}`);
    detail.waits.forEach((wait, i) => {
      const marker = i === selected ? paint("▶", STYLES.key) : " ";
      const text = `${marker} ${i === selected ? paint(`${wait.resourceLabel} (${wait.resourceType})`, { bold: true, underline: true }) : `${wait.resourceLabel} (${wait.resourceType})`}: ${paint(` ${wait.reason} `, STYLES.reason)}`;
      add(text);
      if (wait.awaitLocation && wait !== site) add(`    ${paint("at", STYLES.label)} ${wait.awaitLocation}${wait.awaitSource ? `  ${wait.awaitSource}` : ""}`);
    });
  } else {
    // An idle task with no reported wait awaits something the target does not instrument.
    add(
      paint(row.state === "idle" ? "Waiting on: nothing the target reported (I/O, a timer, or an uninstrumented future)" : "Waiting on: nothing", STYLES.dim),
    );
  }
  add();
  const w = detail.wakers;
  const current = w.clones - w.drops;
  const selfPct = w.wakes > 0n ? ` (${((Number(w.selfWakes) / Number(w.wakes)) * 100).toFixed(0)}%)` : "";
  add(paint("Wakers", STYLES.header));
  add(
    `  current ${current}  clones ${w.clones}  drops ${w.drops}  woken ${w.wakes === 1n ? "once" : `${w.wakes} times`}  self-wakes ${w.selfWakes}${selfPct}` +
      `  ${w.wokenBy !== undefined ? `woken by ${w.wokenBy}` : "waker not reported"}  last woken ${w.lastWokenAgoNs !== undefined ? `${formatDuration(w.lastWokenAgoNs)} ago` : "never"}`,
  );
  if (detail.warnings.length > 0) {
    add(paint("Warnings", STYLES.header));
    for (const warning of detail.warnings) add(`  ${paint("⚠", STYLES.warnBanner)} ${warning}`);
  }
  if (detail.fields.length > 0) add(`${paint("Fields", STYLES.header)}  ${detail.fields.map(([k, v]) => `${k}=${v}`).join("  ")}`);
  add();
  const panels = [
    renderHistogramPanel("Poll times", histograms?.poll, width >= 100 ? Math.floor(width / 2) - 1 : width),
    renderHistogramPanel("Scheduled times", histograms?.scheduled, width >= 100 ? Math.floor(width / 2) - 1 : width),
  ];
  if (width >= 100) {
    const half = Math.floor(width / 2) - 1;
    const rows = Math.max(panels[0]!.length, panels[1]!.length);
    for (let i = 0; i < rows; i++) add(`${fit(panels[0]![i] ?? "", half)}  ${fit(panels[1]![i] ?? "", half)}`);
  } else {
    for (const line of [...panels[0]!, ...panels[1]!]) add(line);
  }
  return pad(out, width, height);
}

export function pad(lines: string[], width: number, height: number): string[] {
  while (lines.length < height) lines.push(" ".repeat(width));
  return lines.slice(0, height);
}
