/**
 * The `consolation` command line. Every failure a user can cause ends here as
 * one line on stderr and a non-zero exit code.
 */
import { Command, CommanderError, Option } from "commander";
import { runDump } from "../dump/dump-command.js";
import { CliError } from "./cli-error.js";
import { portOption, resolveTarget } from "./target-option.js";

function buildProgram(out: (text: string) => void): Command {
  const program = new Command("consolation")
    .description("Watch an async runtime (Node.js with insight, or tokio with console-subscriber) over the console wire protocol.")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: (text) => process.stderr.write(text) });

  program
    .command("dump")
    .description("print one snapshot of the target's tasks, resources and async ops, then exit")
    .argument("[target]", "console server to read (default http://127.0.0.1:6669)")
    .addOption(portOption())
    .option("--json", "machine-readable output")
    .option("--all", "include completed tasks and dropped resources")
    .addOption(new Option("--timeout <seconds>", "give up if no snapshot arrives in time").default(5).argParser(Number))
    .action(async (target: string | undefined, opts: { port?: number; json?: boolean; all?: boolean; timeout: number }) => {
      const options = { json: opts.json ?? false, all: opts.all ?? false, timeoutMs: opts.timeout * 1000 };
      await runDump(resolveTarget(target, opts.port), options, out);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram((text) => process.stdout.write(text));
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`consolation: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`consolation: internal error: ${message}\n`);
    return 70;
  }
}
