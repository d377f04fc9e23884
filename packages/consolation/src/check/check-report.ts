/**
 * What `check` prints: each problem the engine found with where it happens
 * and the page that says what to do about it, as text or JSON.
 */
import { LONG_FIELD_WIDTH, safeText, type Problem, type RuntimeStore, type Wait } from "@async-insight/engine";
import { displayLocation } from "../format/location.js";
import { isRuntimeInternal, taskIdAndNameById } from "../wording/task-text.js";

export interface ReportedLocation {
  /** file:line[:col], relative to the working directory when under it. */
  readonly where: string;
  readonly what: string;
}

export interface ReportedProblem {
  readonly lint: string;
  readonly severity: string;
  readonly denied: boolean;
  readonly summary: string;
  readonly tasks: readonly string[];
  readonly locations: readonly ReportedLocation[];
  readonly docs: string;
}

/**
 * tokio reports the await inside its own sources, which helps nobody; the
 * user's code is where the task was spawned and where the resource was made.
 */
function waitLocations(store: RuntimeStore, task: bigint, wait: Wait): ReportedLocation[] {
  const who = taskIdAndNameById(store, task);
  const on = wait.resource ? ` on ${wait.resource.label}` : "";
  const out: ReportedLocation[] = [];
  if (wait.awaitLocation && !isRuntimeInternal(wait.awaitLocation)) {
    out.push({ where: displayLocation(wait.awaitLocation), what: `${who}: ${wait.reason}${on}${wait.awaitLine ? `  (${wait.awaitLine})` : ""}` });
  } else {
    const spawned = store.task(task)?.location;
    out.push({ where: spawned ? displayLocation(spawned) : "", what: `${who} (spawned here): ${wait.reason}${on}` });
  }
  if (wait.resource?.location) out.push({ where: displayLocation(wait.resource.location), what: `${wait.resource.label} created` });
  return out;
}

export function reportProblem(store: RuntimeStore, problem: Problem): ReportedProblem {
  let locations: ReportedLocation[];
  if (problem.cycle) {
    locations = problem.cycle.tasks.flatMap((t) => t.waits.flatMap((w) => waitLocations(store, t.id, w)));
  } else {
    locations = problem.locations.map((where) => ({ where: displayLocation(where), what: "" }));
  }
  const seen = new Set<string>();
  return {
    lint: problem.lint,
    severity: problem.severity,
    denied: problem.level === "deny",
    summary: problem.message,
    tasks: problem.tasks.map((id) => taskIdAndNameById(store, id)),
    locations: locations.filter((l) => !seen.has(`${l.where}\0${l.what}`) && seen.add(`${l.where}\0${l.what}`)),
    docs: problem.docsPath,
  };
}

/** A problem of one process of a file that holds several (the recording marks restarts), or of one of several targets. */
interface Numbered {
  readonly problem: ReportedProblem;
  /** 1-based; the live target and single-process files have only process 1. */
  readonly process: number;
  /** The process's label when several targets were checked (docs/processes.md). */
  readonly label: string | undefined;
}

interface Checked {
  readonly tasks: number;
  readonly problems: readonly ReportedProblem[];
  readonly label?: string;
}

function numbered(processes: readonly Checked[]): Numbered[] {
  return processes.flatMap((p, i) => p.problems.map((problem) => ({ problem, process: i + 1, label: p.label })));
}

export function formatCheckText(source: string, processes: readonly Checked[]): string {
  const tasks = processes.reduce((sum, p) => sum + p.tasks, 0);
  const several = processes.length > 1;
  const labelled = processes.some((p) => p.label !== undefined);
  const why = labelled ? processes.map((p) => safeText(p.label ?? "?", LONG_FIELD_WIDTH)).join(", ") : "the target restarted";
  const what = several
    ? `${processes.length} processes (${why}), ${processes.map((p) => p.tasks).join(" + ")} tasks`
    : `${tasks} task${tasks === 1 ? "" : "s"}`;
  const lines = [`checked ${safeText(source, LONG_FIELD_WIDTH)}: ${what}`];
  const all = numbered(processes);
  for (const { problem: p, process, label } of all) {
    // Summaries and locations carry target text (names, await lines): made safe and capped where printed.
    lines.push(
      `${p.denied ? "error" : p.severity === "info" ? "info" : "warning"}[${p.lint}]: ${several || label !== undefined ? `process ${label !== undefined ? safeText(label, LONG_FIELD_WIDTH) : process}: ` : ""}${safeText(p.summary, LONG_FIELD_WIDTH)}`,
    );
    for (const l of p.locations)
      lines.push(`  --> ${l.where ? safeText(l.where, LONG_FIELD_WIDTH) : "(no location)"}${l.what ? `  ${safeText(l.what, LONG_FIELD_WIDTH)}` : ""}`);
    lines.push(`  see ${p.docs}`);
  }
  const failing = all.filter((n) => n.problem.denied).length;
  const others = all.length - failing;
  lines.push(
    failing
      ? `check failed: ${failing} denied problem${failing === 1 ? "" : "s"}`
      : `check passed${others ? ` (${others} warning${others === 1 ? "" : "s"})` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

/** `--json`: `process` says which process of the file a problem belongs to (1 unless the recording marks restarts). */
export function checkJson(source: string, config: { readonly deny?: readonly string[] }, processes: readonly Checked[]) {
  const problems = numbered(processes).map(({ problem, process, label }) => ({ ...problem, process, ...(label !== undefined ? { processLabel: label } : {}) }));
  return {
    source,
    ok: problems.every((p) => !p.denied),
    tasks: processes.reduce((sum, p) => sum + p.tasks, 0),
    processes: processes.length,
    denied: config.deny ?? [],
    problems,
  };
}
