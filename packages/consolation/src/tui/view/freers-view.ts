/** The end of the chain: the tasks that could free a resource a task is stuck on. */
import { fit, paint } from "../term/ansi.js";
import { freersFor, type ResourceDetail, type RuntimeView } from "../state/view-model.js";
import { resourceLabel } from "./resource-view.js";
import { pad } from "./task-view.js";
import { stateText, STYLES } from "./theme.js";

export function renderFreersView(data: RuntimeView, detail: ResourceDetail | undefined, direction: "send" | "recv" | undefined, selected: number, width: number, height: number): string[] {
  const out: string[] = [];
  const add = (text = "") => out.push(fit(text, width));
  if (!detail) {
    add(paint("This resource is gone. Esc goes back.", STYLES.dim));
    return pad(out, width, height);
  }
  add(`${paint(`Tasks that can free ${resourceLabel(detail)}`, STYLES.title)}${detail.row.name ? ` (${detail.row.type} ${detail.row.id})` : ""}`);
  add(paint("Only these tasks can release it; while none of them makes progress, its waiters stay blocked. Enter opens the task.", STYLES.dim));
  add();
  const freers = freersFor(detail.freers, direction);
  if (freers.length === 0) {
    add(paint("  The target reported nobody who can free it (its owners may have been dropped, or the runtime does not say).", STYLES.dim));
  }
  freers.forEach((freer, i) => {
    const row = data.task(freer.task.key)?.row;
    const text = `${fit(freer.task.label, 36)} ${fit(freer.role, 30)} ${row ? stateText(row.state) : "gone"}  ${row?.location ?? ""}${freer.inferred ? paint("  (inferred)", STYLES.dim) : ""}`;
    add(i === selected ? `${paint("▶", STYLES.key)} ${paint(fit(text.replace(/\x1b\[[0-9;]*m/g, ""), width - 2), STYLES.selected)}` : `  ${text}`);
  });
  if (detail.waiting.length > 0) {
    add();
    add(paint("Waiting on it", STYLES.header));
    for (const w of detail.waiting) add(`  ${w.task.label}  ${paint(` ${w.reason} `, STYLES.reason)}`);
  }
  return pad(out, width, height);
}
