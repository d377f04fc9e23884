/**
 * What `consolation wakes` does once its options are parsed.
 * register-wakes.ts loads this module only when the command runs.
 */
import { boundedJsonReplacer, LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { readTraceFile } from "../trace-formats/read-trace.js";
import { formatWakeReport } from "./format-wake-report.js";
import { WakeAnalysis } from "../wake-graph/wake-analysis.js";
import { wakeGraphToDot, wakeGraphToMermaid } from "../wake-graph/wake-graph-export.js";

export async function runWakesCommand(file: string, opts: { dot?: boolean; mermaid?: boolean; json?: boolean }, context: CommandContext): Promise<void> {
  const analysis = new WakeAnalysis({ keepDetails: !opts.dot && !opts.mermaid });
  // Only the problems printed are kept: a file of garbage must not fill memory with messages.
  const problems: string[] = [];
  const result = await readTraceFile(file, {
    event: (e) => analysis.event(e),
    problem: (p) => {
      if (problems.length < 20) problems.push(`${file}:${p.line}: ${safeText(p.message, LONG_FIELD_WIDTH)}`);
    },
  });
  if (result.format === undefined || result.format === "insight-recording") throw new CliError(`${file}: not a tokio trace or console-subscriber recording`);
  for (const p of problems) context.err(`consolation: ${p}\n`);
  const report = analysis.finish();
  if (opts.dot) context.out(wakeGraphToDot(report));
  else if (opts.mermaid) context.out(wakeGraphToMermaid(report));
  else if (opts.json) context.out(`${JSON.stringify(report, boundedJsonReplacer, 2)}\n`);
  else context.out(formatWakeReport(report));
}
