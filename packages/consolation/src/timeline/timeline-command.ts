/**
 * What `consolation timeline` does once its options are parsed.
 * register-timeline.ts loads this module only when the command runs.
 */
import { writeFile } from "node:fs/promises";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { FORMAT_NAMES, readTraceFile } from "../trace-formats/read-trace.js";
import { WakeAnalysis } from "../wake-graph/wake-analysis.js";
import { timelineSvg } from "./timeline-svg.js";

export async function runTimelineCommand(file: string, opts: { output: string }, context: CommandContext): Promise<void> {
  const analysis = new WakeAnalysis({ keepDetails: true });
  let problems = 0;
  const result = await readTraceFile(file, { event: (e) => analysis.event(e), problem: () => problems++ });
  if (result.format === undefined) throw new CliError(`${file}: no known trace format found`);
  if (result.format === "insight-recording")
    throw new CliError(`${file} is an insight recording; timelines need a tokio trace or console-subscriber recording (per-poll times)`);
  const report = analysis.finish();
  try {
    await writeFile(opts.output, timelineSvg(report, `${file} (${FORMAT_NAMES[result.format]})`));
  } catch (error) {
    throw new CliError(`cannot write ${opts.output}: ${(error as Error).message}`);
  }
  context.err(
    `wrote ${opts.output}: ${report.tasks.length} tasks, ${report.polls.length} polls, ${report.wakes.length} wakes${problems ? `; ${problems} unreadable lines` : ""}\n`,
  );
}
