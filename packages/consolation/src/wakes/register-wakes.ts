/**
 * `consolation wakes FILE`: who woke whom in a tokio trace, per-task poll and waker
 * accounting, and the causality graph. The analysis (wakes-command.ts) is loaded only
 * when the command runs.
 */
import type { Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";

export function registerWakes(program: Command, context: CommandContext): void {
  program
    .command("wakes")
    .description("classify every wake in a tokio trace (self, from another task, from outside the runtime) and account polls and wakers")
    .argument("<file>", "trace or console-subscriber recording ('-' for stdin)")
    .option("--dot", "print the wake causality graph as Graphviz DOT")
    .option("--mermaid", "print the wake causality graph as Mermaid")
    .option("--json", "machine-readable report")
    .action(async (file: string, opts: { dot?: boolean; mermaid?: boolean; json?: boolean }) => {
      const { runWakesCommand } = await import("./wakes-command.js");
      await runWakesCommand(file, opts, context);
    });
}
