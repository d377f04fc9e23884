/**
 * What `check` prints: each problem the engine found with where it happens
 * and the page that says what to do about it, as text or JSON.
 */
import type { Problem, RuntimeStore, Wait } from "@insight/engine";
import { displayLocation } from "../format/location.js";
import { isRuntimeInternal, taskLabelById } from "../reading/task-text.js";

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
  const who = taskLabelById(store, task);
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
    tasks: problem.tasks.map((id) => taskLabelById(store, id)),
    locations: locations.filter((l) => !seen.has(`${l.where}\0${l.what}`) && seen.add(`${l.where}\0${l.what}`)),
    docs: problem.docsPath,
  };
}

export function formatCheckText(source: string, tasks: number, problems: readonly ReportedProblem[]): string {
  const lines = [`checked ${source}: ${tasks} task${tasks === 1 ? "" : "s"}`];
  for (const p of problems) {
    lines.push(`${p.denied ? "error" : p.severity === "info" ? "info" : "warning"}[${p.lint}]: ${p.summary}`);
    for (const l of p.locations) lines.push(`  --> ${l.where || "(no location)"}${l.what ? `  ${l.what}` : ""}`);
    lines.push(`  see ${p.docs}`);
  }
  const failing = problems.filter((p) => p.denied).length;
  const others = problems.length - failing;
  lines.push(
    failing
      ? `check failed: ${failing} denied problem${failing === 1 ? "" : "s"}`
      : `check passed${others ? ` (${others} warning${others === 1 ? "" : "s"})` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
