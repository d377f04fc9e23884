/**
 * `consolation timeline FILE -o out.svg`: per-task idle / scheduled / busy lanes with
 * wake arrows. The drawing (timeline-command.ts) is loaded only when the command runs.
 */
import type { Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";

export function registerTimeline(program: Command, context: CommandContext): void {
  program
    .command("timeline")
    .description("draw each task's idle / scheduled / busy time, with wake arrows, as a self-contained SVG")
    .argument("<file>", "tokio trace or console-subscriber recording")
    .requiredOption("-o, --output <file.svg>", "SVG to write")
    .action(async (file: string, opts: { output: string }) => {
      const { runTimelineCommand } = await import("./timeline-command.js");
      await runTimelineCommand(file, opts, context);
    });
}
