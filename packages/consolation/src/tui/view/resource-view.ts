/**
 * One resource: what it is, its attributes, the tasks that can free it, the
 * tasks waiting on it and its async ops. Every task line is selectable and
 * Enter opens that task.
 */
import { formatDuration } from "../../format/duration.js";
import { fit, paint } from "../term/ansi.js";
import type { ShownFreer, ResourceDetail } from "../state/view-model.js";
import { pad } from "./task-view.js";
import { STYLES } from "./theme.js";

/** Whether the engine holds this freer to be one of a closed set, and whether it inferred it. */
export function certaintyNote(freer: ShownFreer): string {
  const notes = [freer.certain ? "certain" : "possible: other code could free it too", ...(freer.inferred ? ["inferred"] : [])];
  return paint(`  (${notes.join(", ")})`, STYLES.dim);
}

export function resourceLabel(detail: ResourceDetail): string {
  return detail.row.name || `${detail.row.type} ${detail.row.id}`;
}

export function renderResourceView(detail: ResourceDetail | undefined, selected: number, width: number, height: number): string[] {
  const out: string[] = [];
  const add = (text = "") => out.push(fit(text, width));
  if (!detail) {
    add(paint("This resource is gone: it was dropped and removed after the retention period. Esc goes back.", STYLES.dim));
    return pad(out, width, height);
  }
  const row = detail.row;
  add(
    `${paint(`Resource ${row.id}`, STYLES.title)} ${paint(resourceLabel(detail), STYLES.title)}  ${paint("type", STYLES.label)} ${row.type}  ${paint("kind", STYLES.label)} ${row.kind}  ${row.internal ? "internal" : "public"}${row.dropped ? "  dropped" : ""}`,
  );
  add(
    `${paint("created at", STYLES.label)} ${row.location || "unknown"}   ${paint("parent", STYLES.label)} ${row.parentId || "none"}   ${paint("age", STYLES.label)} ${formatDuration(row.totalNs)}`,
  );
  add(
    `${paint("Attributes", STYLES.header)}  ${detail.attributes.length ? detail.attributes.map(([k, v]) => `${k}=${v}`).join("  ") : paint("none", STYLES.dim)}`,
  );
  add();
  let index = 0;
  const marker = () => (index++ === selected ? paint("▶", STYLES.key) : " ");
  add(`${paint("Can free it", STYLES.header)} ${paint("(Enter opens the task)", STYLES.dim)}`);
  // The proof closes the set: only the tasks listed could ever use it again.
  if (detail.unreachable) add(paint("  The target proved that no code still able to run can reach it (garbage collection).", STYLES.dim));
  if (detail.freers.length === 0) add(paint("  nobody known", STYLES.dim));
  for (const f of detail.freers) add(`${marker()} ${f.task.label}  ${paint(f.role, STYLES.label)}${certaintyNote(f)}`);
  add(paint("Waiting on it", STYLES.header));
  if (detail.waiting.length === 0) add(paint("  no task", STYLES.dim));
  for (const w of detail.waiting) add(`${marker()} ${w.task.label}  ${paint(` ${w.reason} `, STYLES.reason)}`);
  add(`${paint("Async ops", STYLES.header)} ${paint(`(pending${detail.finishedOps > 0 ? `; ${detail.finishedOps} finished not shown` : ""})`, STYLES.dim)}`);
  if (detail.asyncOps.length === 0) add(paint("  none pending", STYLES.dim));
  else
    add(
      paint(
        `  ${"ID".padStart(5)} ${"Task".padEnd(28)} ${"Source".padEnd(22)} ${"Total".padStart(6)} ${"Busy".padStart(6)} ${"Polls".padStart(5)} Attributes`,
        STYLES.header,
      ),
    );
  for (const op of detail.asyncOps) {
    const m = op.task ? marker() : " ";
    add(
      `${m} ${op.id.padStart(5)} ${fit(op.task?.label ?? "-", 28)} ${fit(op.source, 22)} ${formatDuration(op.totalNs).padStart(6)} ${formatDuration(op.busyNs).padStart(6)} ${String(op.polls).padStart(5)} ${op.attributes}`,
    );
  }
  return pad(out, width, height);
}
