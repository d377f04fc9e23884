/** Wires `consolation dump` into the command line. */
import { Option, type Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import { portOption, resolveTarget } from "../cli/target-option.js";
import { runDump } from "./dump-command.js";

export function registerDump(program: Command, context: CommandContext): void {
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
      await runDump(resolveTarget(target, opts.port), options, context.out);
    });
}
