/** `consolation wakes FILE`: who woke whom in a tokio trace, per-task poll and waker accounting, and the causality graph. */
import type { Command } from "commander";
import { boundedJsonReplacer, LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { readTraceFile } from "../readers/read-trace.js";
import { formatWakeReport } from "./format-wake-report.js";
import { WakeAnalysis } from "./wake-analysis.js";
import { wakeGraphToDot, wakeGraphToMermaid } from "./wake-graph-export.js";

export function registerWakes(program: Command, context: CommandContext): void {
  program
    .command("wakes")
    .description("classify every wake in a tokio trace (self, from another task, from outside the runtime) and account polls and wakers")
    .argument("<file>", "trace or console-subscriber recording ('-' for stdin)")
    .option("--dot", "print the wake causality graph as Graphviz DOT")
    .option("--mermaid", "print the wake causality graph as Mermaid")
    .option("--json", "machine-readable report")
    .action(async (file: string, opts: { dot?: boolean; mermaid?: boolean; json?: boolean }) => {
      const analysis = new WakeAnalysis({ keepDetails: !opts.dot && !opts.mermaid });
      // Only the problems printed are kept: a file of garbage must not fill memory with messages.
      const problems: string[] = [];
      const result = await readTraceFile(file, {
        event: (e) => analysis.event(e),
        problem: (p) => {
          if (problems.length < 20) problems.push(`${file}:${p.line}: ${safeText(p.message, LONG_FIELD_WIDTH)}`);
        },
      });
      if (result.format === undefined || result.format === "insight-recording")
        throw new CliError(`${file}: not a tokio trace or console-subscriber recording`);
      for (const p of problems) context.err(`consolation: ${p}\n`);
      const report = analysis.finish();
      if (opts.dot) context.out(wakeGraphToDot(report));
      else if (opts.mermaid) context.out(wakeGraphToMermaid(report));
      else if (opts.json) context.out(`${JSON.stringify(report, boundedJsonReplacer, 2)}\n`);
      else context.out(formatWakeReport(report));
    });
}
