/** The end of the chain: the tasks that could free a resource a task is stuck on. */
import { fit, paint } from "../term/ansi.js";
import { stripAnsi } from "../../format/strip-ansi.js";
import { freersShown, type ShownFreer, type ResourceDetail, type RuntimeView } from "../state/view-model.js";
import type { FreerRole } from "@async-insight/engine";
import { resourceLabel } from "./resource-view.js";
import { pad } from "./task-view.js";
import { stateText, STYLES } from "./theme.js";

/** What each role does to free a wait, for "no task is known to …". */
const ROLE_VERBS: Record<FreerRole, string> = {
  holder: "hold it",
  reader: "hold a read guard on it",
  permit: "hold its permits",
  receiver: "receive from it",
  sender: "send into it",
  party: "arrive at it",
  task: "run the awaited task",
  notifier: "notify it",
};

function evidenceLines(detail: ResourceDetail, freers: readonly ShownFreer[], matching: boolean, freedBy: readonly FreerRole[] | undefined): string[] {
  const none =
    freedBy && freedBy.length > 0 && (!matching || freers.length === 0) ? `No task is known to ${freedBy.map((r) => ROLE_VERBS[r]).join(" or ")}.` : undefined;
  if (detail.unreachable) {
    // The garbage-collection proof: nothing outside the listed owners can ever reach it.
    const proof = "The target proved that no code still able to run can reach it (garbage collection).";
    if (freers.length === 0 || !matching)
      return [proof, `${none ?? "Nobody can free it."} Its waiters can never continue.${freers.length > 0 ? " Tasks that used it:" : ""}`];
    return [proof, "Only these tasks could free it; while none of them makes progress, its waiters stay blocked. Enter opens the task."];
  }
  if (freers.length === 0)
    return [
      `${none ?? "The target reported nobody who can free it."} Its owners may have been dropped, or the runtime does not say;`,
      "other code holding a reference could still free it.",
    ];
  if (none) return [`${none} The tasks known to use it are listed below;`, "other code holding a reference could still free it. Enter opens the task."];
  if (freers.length > 0 && freers.every((f) => f.certain))
    return ["Only these tasks can release it; while none of them makes progress, its waiters stay blocked. Enter opens the task."];
  return ["Tasks known to use it; other code holding a reference could free it too. Enter opens the task."];
}

export function renderFreersView(
  data: RuntimeView,
  detail: ResourceDetail | undefined,
  freedBy: readonly FreerRole[] | undefined,
  selected: number,
  width: number,
  height: number,
): string[] {
  const out: string[] = [];
  const add = (text = "") => out.push(fit(text, width));
  if (!detail) {
    add(paint("This resource is gone. Esc goes back.", STYLES.dim));
    return pad(out, width, height);
  }
  const { list: freers, matching } = freersShown(detail.freers, freedBy);
  // When nobody listed can end the wait, the title must not suggest the tasks below can.
  const none = !matching || freers.length === 0 ? (detail.unreachable ? ": none" : ": none known") : "";
  add(`${paint(`Tasks that can free ${resourceLabel(detail)}${none}`, STYLES.title)}${detail.row.name ? ` (${detail.row.type} ${detail.row.id})` : ""}`);
  // Say only what the evidence says: a closed set of freers, tasks merely known to use an end, or a proof.
  for (const line of evidenceLines(detail, freers, matching, freedBy)) add(paint(line, STYLES.dim));
  add();
  freers.forEach((freer, i) => {
    const row = data.task(freer.task.key)?.row;
    const text = `${fit(freer.task.label, 36)} ${fit(freer.role, 30)} ${fit(!matching ? "" : freer.certain ? "certain" : "possible", 8)} ${row ? stateText(row.state) : "gone"}  ${row?.location ?? ""}${freer.inferred ? paint("  (inferred)", STYLES.dim) : ""}`;
    add(i === selected ? `${paint("▶", STYLES.key)} ${paint(fit(stripAnsi(text), width - 2), STYLES.selected)}` : `  ${text}`);
  });
  if (detail.waiting.length > 0) {
    add();
    add(paint("Waiting on it", STYLES.header));
    for (const w of detail.waiting) add(`  ${w.task.label}  ${paint(` ${w.reason} `, STYLES.reason)}`);
  }
  return pad(out, width, height);
}
