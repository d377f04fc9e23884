/**
 * `consolation trace FILE`: a tokio trace or recording as a readable, coloured list of
 * runtime events. The reading (trace-command.ts) is loaded only when the command runs.
 */
import type { Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import type { TraceCommandOptions } from "./trace-command.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerTrace(program: Command, context: CommandContext): void {
  program
    .command("trace")
    .description("print a tokio trace (ari-subscriber, tracing-subscriber fmt/JSON, console-subscriber recording) as readable, coloured runtime events")
    .argument("<file>", "trace or recording to read ('-' for stdin)")
    .option("--task <name-or-id>", "only events of this task (name, task id or span id); repeatable", collect)
    .option("--waker", "only waker events")
    .option("--resource <type-or-id>", "only events inside this resource (concrete type or span id); repeatable", collect)
    .option("--color", "colour even when not writing to a terminal")
    .option("--no-color", "no colour (NO_COLOR is respected too)")
    .action(async (file: string, opts: TraceCommandOptions) => {
      const { runTraceCommand } = await import("./trace-command.js");
      await runTraceCommand(file, opts, context);
    });
}
