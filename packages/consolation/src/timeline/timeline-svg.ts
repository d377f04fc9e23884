/**
 * A time-status diagram: one lane per task, coloured idle / scheduled / busy
 * over time, with an arrow for every wake from the waking task's lane (or from
 * the "outside" lane) to the woken task's lane. Self-contained SVG; every text
 * is escaped.
 */
import { FIELD_WIDTH, LONG_FIELD_WIDTH, safeText, xmlText } from "@async-insight/engine";
import { formatDuration } from "../format/duration.js";
import type { WakeReport } from "../wake-graph/wake-types.js";

const LANE = 28;
const LABEL_WIDTH = 220;
const PLOT_WIDTH = 900;
const TOP = 40;

/** Untrusted text as SVG text or an attribute value: controls as escape text, capped, XML-escaped (see xmlText). */
export function escapeXml(text: string, maxWidth: number = LONG_FIELD_WIDTH): string {
  return xmlText(text, maxWidth);
}

/** A task name inside a longer text, capped on its own so the rest of the text still shows. */
const nameOf = (name: string | undefined) => safeText(name ?? "?", FIELD_WIDTH);

export function timelineSvg(report: WakeReport, title: string): string {
  const tasks = report.tasks.filter((t) => t.polls > 0 || t.wakes > 0);
  const times: bigint[] = [];
  for (const t of tasks) {
    if (t.createdNs !== undefined) times.push(t.createdNs);
    if (t.closedNs !== undefined) times.push(t.closedNs);
  }
  for (const p of report.polls) times.push(p.startNs - p.scheduledNs, p.endNs);
  for (const w of report.wakes) times.push(w.atNs);
  const start = times.length ? times.reduce((a, b) => (b < a ? b : a)) : 0n;
  const end = times.length ? times.reduce((a, b) => (b > a ? b : a)) : 1n;
  const span = end > start ? end - start : 1n;
  const x = (ns: bigint) => LABEL_WIDTH + (Number(ns - start) / Number(span)) * PLOT_WIDTH;
  const lane = new Map(tasks.map((t, i) => [t.task.spanId, i + 1]));
  const laneY = (index: number) => TOP + index * LANE;
  const height = TOP + (tasks.length + 1) * LANE + 40;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH + PLOT_WIDTH + 20}" height="${height}" font-family="monospace" font-size="12">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#9d4edd"/></marker></defs>',
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="8" y="20" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(
    `<text x="${LABEL_WIDTH}" y="20">${escapeXml(`0 … ${formatDuration(span)}`)}  <tspan fill="#bbbbbb">■ idle</tspan> <tspan fill="#e5b700">■ scheduled</tspan> <tspan fill="#2f9e5c">■ busy</tspan> <tspan fill="#9d4edd">→ wake</tspan></text>`,
  );
  out.push(`<text x="8" y="${laneY(0) + 18}" fill="#666666">outside the runtime</text>`);
  tasks.forEach((t, i) => {
    const y = laneY(i + 1);
    out.push(`<text x="8" y="${y + 18}">${escapeXml(`${nameOf(t.task.name)} [${nameOf(t.task.spanId)}]`, 30)}</text>`);
    const from = t.createdNs ?? start;
    const to = t.closedNs ?? end;
    out.push(
      `<rect x="${x(from).toFixed(1)}" y="${y + 6}" width="${Math.max(0.5, x(to) - x(from)).toFixed(1)}" height="${LANE - 12}" fill="#dddddd"><title>${escapeXml(`${nameOf(t.task.name)}: idle`)}</title></rect>`,
    );
  });
  for (const p of report.polls) {
    const index = lane.get(p.task.spanId);
    if (index === undefined) continue;
    const y = laneY(index);
    const sched = p.startNs - p.scheduledNs;
    if (p.scheduledNs > 0n)
      out.push(
        `<rect x="${x(sched).toFixed(1)}" y="${y + 6}" width="${Math.max(0.5, x(p.startNs) - x(sched)).toFixed(1)}" height="${LANE - 12}" fill="#e5b700"><title>${escapeXml(`${nameOf(p.task.name)} poll ${p.index}: scheduled ${formatDuration(p.scheduledNs)}`)}</title></rect>`,
      );
    out.push(
      `<rect x="${x(p.startNs).toFixed(1)}" y="${y + 4}" width="${Math.max(1, x(p.endNs) - x(p.startNs)).toFixed(1)}" height="${LANE - 8}" fill="#2f9e5c"><title>${escapeXml(`${nameOf(p.task.name)} poll ${p.index}: busy ${formatDuration(p.busyNs)} (line ${p.startLine})`)}</title></rect>`,
    );
  }
  for (const w of report.wakes) {
    const to = lane.get(w.wokenSpanId);
    if (to === undefined) continue;
    const from = w.cause === "outside" ? 0 : w.by ? lane.get(w.by.spanId) : undefined;
    if (from === undefined) continue;
    const wx = x(w.atNs).toFixed(1);
    const y1 = laneY(from) + LANE / 2;
    const y2 = laneY(to) + LANE / 2;
    const text = `${w.op} of ${nameOf(w.woken?.name ?? w.wokenSpanId)}: ${w.cause === "self" ? "self-wake" : w.cause === "outside" ? "from outside the runtime" : `from ${nameOf(w.by?.name)}`} (line ${w.line})`;
    if (from === to) out.push(`<circle cx="${wx}" cy="${y1}" r="4" fill="none" stroke="#9d4edd" stroke-width="2"><title>${escapeXml(text)}</title></circle>`);
    else
      out.push(
        `<line x1="${wx}" y1="${y1}" x2="${wx}" y2="${y2 + (y2 > y1 ? -6 : 6)}" stroke="#9d4edd" stroke-width="1.5" marker-end="url(#arrow)"><title>${escapeXml(text)}</title></line>`,
      );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
