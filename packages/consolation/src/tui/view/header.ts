/** The top lines: target and connection, pause state, dropped events, view keys, and the problem banner. */
import { fit, paint } from "../term/ansi.js";
import type { ShownProblem } from "../state/view-model.js";
import type { RenderInput } from "./render-input.js";
import { STYLES } from "./theme.js";

function connectionText(input: RenderInput): string {
  const { state } = input.connection;
  switch (state.status) {
    case "connecting":
      return paint("CONNECTING", STYLES.paused);
    case "connected":
      return paint("CONNECTED", STYLES.connected);
    case "reconnecting": {
      const seconds = Math.max(0, Math.ceil((state.retryAt - input.nowMs) / 1000));
      return `${paint(`RECONNECTING IN ${seconds}s`, STYLES.trouble)} ${paint(`(${state.reason})`, STYLES.dim)}`;
    }
    case "closed":
      return paint("CLOSED", STYLES.trouble);
  }
}

const TEMPORALITY = { live: "", paused: "PAUSED", pausing: "PAUSING", resuming: "RESUMING" } as const;

/** A confirmed deadlock only: a likely deadlock also has a cycle, but rests on possible evidence. */
export function isDeadlock(problem: ShownProblem): boolean {
  return problem.lint === "deadlock-cycle";
}

export function isLikelyDeadlock(problem: ShownProblem): boolean {
  return problem.lint === "likely-deadlock";
}

export function renderHeader(input: RenderInput, problems: readonly ShownProblem[]): string[] {
  const width = input.size.columns;
  const { status } = input.connection;
  const parts =
    status === undefined
      ? [`${paint("consolation", STYLES.title)}  connection: ${input.connection.target} (${connectionText(input)})`]
      : [`${paint("consolation", STYLES.title)}  ${input.connection.target}  ${paint(status, STYLES.connected)}`];
  const temporality = status === undefined ? TEMPORALITY[input.connection.temporality] : "";
  if (temporality) parts.push(paint(temporality, STYLES.paused));
  const dropped = input.data.dropped();
  if (dropped.tasks + dropped.resources + dropped.asyncOps > 0n) {
    parts.push(paint(`dropped: ${dropped.asyncOps} async ops, ${dropped.tasks} tasks, ${dropped.resources} resources`, STYLES.trouble));
  }
  const lines = [fit(parts.join("  "), width)];
  const views = `views: ${paint("t", STYLES.key)} = tasks, ${paint("r", STYLES.key)} = resources, ${paint("P", STYLES.key)} = problems (${problems.length})`;
  lines.push(fit(input.connection.notice ? `${views}  ${paint(input.connection.notice, STYLES.dim)}` : views, width));
  const deadlocks = problems.filter(isDeadlock).length;
  if (deadlocks > 0) {
    const what = deadlocks === 1 ? "deadlock cycle was detected" : `${deadlocks} deadlock cycles were detected`;
    lines.push(paint(fit(` ⚠ ${what}. hit P for more info.`, width), STYLES.banner));
  } else if (problems.some(isLikelyDeadlock)) {
    // Weaker words on purpose: the cycle holds only if the tasks known to use its ends are the only ones.
    const likely = problems.filter(isLikelyDeadlock).length;
    const what = likely === 1 ? "a likely deadlock (not proven)" : `${likely} likely deadlocks (not proven)`;
    lines.push(fit(paint(` ${what}: tasks seem to wait on each other. hit P for more info.`, STYLES.warnBanner), width));
  } else if (problems.length > 0) {
    lines.push(
      fit(
        paint(` ${problems.length} problem${problems.length === 1 ? "" : "s"} found: ${problems[0]!.summary}. hit P for more info.`, STYLES.warnBanner),
        width,
      ),
    );
  }
  return lines;
}
