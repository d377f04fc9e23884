/**
 * When stdout is not a terminal (piped, CI, a file), the console prints a
 * plain report instead of drawing: the tasks, then the problems found, and
 * exits. It watches for a few updates first, because a deadlock is only
 * confirmed once it has held across two of them.
 */
import { updateSections, type Update } from "@async-insight/protocol";
import { watchTarget, type ConsoleClient } from "@async-insight/client";
import { RestartDetector } from "../wording/process-change.js";
import { formatDuration } from "../format/duration.js";
import { renderTable } from "../format/table.js";
import { CliError } from "../cli/cli-error.js";
import type { ViewStore } from "./state/view-store.js";
import { arrangeTasks, showsProcess, TASK_SORT_ID } from "./state/task-columns.js";
import type { ShownProblem, TaskRow } from "./state/view-model.js";
import { HELP_LINE } from "./view/frame.js";

export interface PlainReportOptions {
  /** Updates to wait for before reporting; the pieces of one split snapshot count once. */
  readonly updates: number;
  readonly timeoutMs: number;
  /** How long to wait for a further piece of the last snapshot before reporting (default 300 ms). */
  readonly settleMs?: number;
}

/** The instant an update describes: the pieces of a split snapshot all carry the same one. */
function instantOf(update: Update): string {
  const now = updateSections(update).now;
  return now ? `${now.seconds}.${now.nanos}` : "";
}

/**
 * Resolves with the number of whole updates seen and the last connection
 * error, if any. A big target's snapshot arrives split across several
 * messages that share one `now`; they count as one update, and the report
 * waits until the last one is complete (a message with a later `now`, or
 * no further piece within `settleMs`), so it never reads half a snapshot.
 */
export function collect(client: ConsoleClient, source: ViewStore, options: PlainReportOptions): Promise<{ seen: number; error: string }> {
  return new Promise((resolve) => {
    let seen = 0;
    let instant: string | undefined;
    let error = "";
    let settle: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(settle);
      watch.stop();
      resolve({ seen, error });
    };
    const timer = setTimeout(finish, options.timeoutMs);
    const restarts = new RestartDetector((spanId) => source.taskCreatedAt(spanId));
    const watch = watchTarget(client, {
      onUpdate: (update) => {
        const at = instantOf(update);
        if (at !== instant || at === "") {
          // A later instant: the previous snapshot is whole.
          if (seen >= options.updates) return finish();
          seen++;
          instant = at;
        }
        if (restarts.startsNewProcess(update)) source.reset();
        source.applyUpdate(update);
        if (seen >= options.updates) {
          clearTimeout(settle);
          settle = setTimeout(finish, options.settleMs ?? 300);
        }
      },
      onConnection: (state) => {
        if (state.status === "connected") restarts.connected();
        if (state.status === "reconnecting") error = state.reason;
      },
    });
  });
}

export function formatProblems(problems: readonly ShownProblem[]): string[] {
  if (problems.length === 0) return ["Problems: none found"];
  const lines = [`Problems (${problems.length})`];
  for (const p of problems) {
    lines.push(`  [${p.severity}] ${p.summary}  (${p.lint}; see ${p.docsPage})`);
    for (const t of p.tasks) {
      lines.push(`    ${t.kind} ${t.id}${t.name ? ` "${t.name}"` : ""}${t.attributes ? `  ${t.attributes}` : ""}`);
      for (const w of t.waits) lines.push(`      awaits ${w.resourceLabel} (${w.resourceType}): ${w.reason}${w.awaitLocation ? ` at ${w.awaitLocation}` : ""}`);
    }
  }
  return lines;
}

export async function printPlainReport(client: ConsoleClient, source: ViewStore, options: PlainReportOptions, write: (text: string) => void): Promise<void> {
  const { seen, error } = await collect(client, source, options);
  if (seen === 0) throw new CliError(error || `no data from ${client.label} within ${options.timeoutMs / 1000}s`);
  write(formatPlainReport(`target: ${client.label}`, source, "run in a terminal for the live console"));
}

/** The report itself, shared with `replay FILE` off a terminal. */
export function formatPlainReport(title: string, source: ViewStore, inTerminal: string): string {
  const view = source.view();
  const rows = arrangeTasks(
    view.tasks().filter((t) => t.state !== "done"),
    TASK_SORT_ID,
    false,
    "",
  );
  const table = renderTable(
    [
      // Several targets (docs/processes.md): each task's process first.
      ...(showsProcess(rows) ? [{ header: "PROC", cell: (r: TaskRow) => r.process ?? "" }] : []),
      { header: "ID", cell: (r) => r.id, align: "right" },
      { header: "NAME", cell: (r) => r.name },
      { header: "KIND", cell: (r) => r.kind },
      { header: "STATE", cell: (r) => r.state },
      { header: "BUSY/SCHED/IDLE %", cell: (r) => [r.share.running, r.share.ready, r.share.blocked].map((s) => Math.round(s * 100)).join("/") },
      { header: "TOTAL", cell: (r) => formatDuration(r.totalNs), align: "right" },
      { header: "BUSY", cell: (r) => formatDuration(r.busyNs), align: "right" },
      { header: "POLLS", cell: (r) => String(r.polls), align: "right" },
      { header: "LOCATION", cell: (r) => r.location },
    ],
    rows,
  );
  const lines = [
    title,
    "",
    `Tasks (${rows.length} live)`,
    ...table,
    "",
    ...formatProblems(view.problems()),
    "",
    `(stdout is not a terminal, so this is a one-off report; ${inTerminal}. ${HELP_LINE} there.)`,
  ];
  return `${lines.join("\n")}\n`;
}
