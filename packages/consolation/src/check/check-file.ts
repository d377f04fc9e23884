/**
 * `check FILE`: feeds a recording or trace to the engine and lints it. A
 * recording that marks a restart holds several processes; each is checked
 * on its own state (a deadlock of the first process is still reported, and
 * nothing of it leaks into the second).
 */
import { create } from "@bufbuild/protobuf";
import { LONG_FIELD_WIDTH, RuntimeStore, runLints, safeText, type LintConfig } from "@async-insight/engine";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { readUpdatesFromFile } from "../playback/read-updates.js";
import { reportProblem, type ReportedProblem } from "./check-report.js";

export interface CheckedProcess {
  readonly tasks: number;
  readonly problems: readonly ReportedProblem[];
  /** Several live targets: the process this is ("4242", "4242/t1", or host:port; docs/processes.md). */
  readonly label?: string;
}

/** Lints a live store or a finished segment the same way. */
export function lintStore(store: RuntimeStore, config: LintConfig): ReportedProblem[] {
  return runLints(store, config).map((p) => reportProblem(store, p));
}

export async function checkFile(file: string, config: LintConfig, context: CommandContext): Promise<CheckedProcess[]> {
  const problems: string[] = [];
  let problemCount = 0;
  const processes: CheckedProcess[] = [];
  let store = new RuntimeStore();
  let updates = 0;
  let segmentHadTasks = false;
  let everHadTasks = false;
  let totalUpdates = 0;

  const finishSegment = () => {
    if (updates === 0) return;
    // The segment's last state is final: its process ended (or the file did),
    // so nothing will come to release it. One more observation of that state
    // lets the engine confirm what holds at the end.
    if (store.now !== undefined) store.applyUpdate(create(UpdateSchema, { now: nanosToTimestamp(store.now) }));
    if (segmentHadTasks) processes.push({ tasks: store.taskCount, problems: lintStore(store, config) });
  };

  const result = await readUpdatesFromFile(file, {
    update: (u) => {
      store.applyUpdate(u);
      updates++;
      totalUpdates++;
      if (store.taskCount > 0) segmentHadTasks = everHadTasks = true;
    },
    // Kept for printing: made safe (the message may quote the file) and at most 21 held.
    problem: (p) => {
      problemCount++;
      if (problems.length <= 20) problems.push(`line ${p.line}: ${safeText(p.message, LONG_FIELD_WIDTH)}`);
    },
    restart: () => {
      finishSegment();
      store = new RuntimeStore();
      updates = 0;
      segmentHadTasks = false;
    },
  });
  if (result.format === undefined) throw new CliError(`${file}: not a recording or trace consolation can read`, 2);
  for (const p of problems.slice(0, 20)) context.err(`consolation: ${file}: ${p}\n`);
  if (problemCount > 20) context.err(`consolation: ${file}: ${problemCount - 20} more problems not shown\n`);
  finishSegment();
  if (totalUpdates === 0) throw new CliError(`${file}: no usable update in ${result.lines} line${result.lines === 1 ? "" : "s"}; nothing was checked`, 2);
  if (!everHadTasks) throw new CliError(`${file}: none of its ${totalUpdates} update${totalUpdates === 1 ? "" : "s"} lists a task; nothing was checked`, 2);
  return processes;
}
