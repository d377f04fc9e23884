/** `consolation timeline FILE -o out.svg`: per-task idle / scheduled / busy lanes with wake arrows. */
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { FORMAT_NAMES, readTraceFile } from "../readers/read-trace.js";
import { WakeAnalysis } from "../wakes/wake-analysis.js";
import { timelineSvg } from "./timeline-svg.js";

export function registerTimeline(program: Command, context: CommandContext): void {
  program
    .command("timeline")
    .description("draw each task's idle / scheduled / busy time, with wake arrows, as a self-contained SVG")
    .argument("<file>", "tokio trace or console-subscriber recording")
    .requiredOption("-o, --output <file.svg>", "SVG to write")
    .action(async (file: string, opts: { output: string }) => {
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
    });
}
