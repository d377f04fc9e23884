/**
 * The `consolation` command line, and the package's entry point (bin/ loads
 * dist/main.js). Each command registers itself from its own folder; this file
 * only dispatches and turns every failure a user can cause into one line on
 * stderr and a non-zero exit code. It is the top floor: nothing imports it.
 */
import { Command, CommanderError } from "commander";
import { registerDump } from "./dump/register-dump.js";
import { registerCheck } from "./check/register-check.js";
import { registerRecord } from "./record/register-record.js";
import { registerReplay } from "./replay/register-replay.js";
import { registerTimeline } from "./timeline/register-timeline.js";
import { registerTrace } from "./trace/register-trace.js";
import { registerWakes } from "./wakes/register-wakes.js";
import { registerTui } from "./tui/register-tui.js";
import { registerWeb } from "./web/register-web.js";
import { CliError } from "./cli/cli-error.js";
import type { CommandContext } from "./cli/command-context.js";

export { CliError };

const COMMANDS: ReadonlyArray<(program: Command, context: CommandContext) => void> = [
  registerDump,
  registerRecord,
  registerReplay,
  registerCheck,
  registerTrace,
  registerWakes,
  registerTimeline,
  registerWeb,
  registerTui,
];

function buildProgram(context: CommandContext): Command {
  const program = new Command("consolation")
    .description("Watch an async runtime (Node.js with insight, or tokio with console-subscriber) over the console wire protocol.")
    .exitOverride()
    .configureOutput({ writeOut: context.out, writeErr: context.err });
  for (const register of COMMANDS) register(program, context);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const context: CommandContext = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  try {
    await buildProgram(context).parseAsync(argv as string[]);
    // Commands such as `check` report their verdict through the exit code.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      context.err(`consolation: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    context.err(`consolation: internal error: ${message}\n`);
    return 70;
  }
}
