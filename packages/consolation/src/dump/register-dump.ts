/** Wires `consolation dump` into the command line. */
import { Option, type Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import { discoverOption, discoveryDirOption, portsOption, tokenOption } from "../cli/target-option.js";

export function registerDump(program: Command, context: CommandContext): void {
  program
    .command("dump")
    .description("print one snapshot of the target's tasks, resources and async ops, then exit")
    .argument("[target]", "console server to read (default http://127.0.0.1:6669); TARGET,TARGET,... reads several")
    .addOption(portsOption())
    .addOption(discoverOption())
    .addOption(discoveryDirOption())
    .addOption(tokenOption())
    .option("--json", "machine-readable output")
    .option("--all", "include completed tasks, dropped resources and finished async ops")
    .option("--all-ops", "include async ops that are no longer pending (finished waits)")
    .addOption(new Option("--timeout <seconds>", "give up if no snapshot arrives in time").default(5).argParser(Number))
    .action(
      async (
        target: string | undefined,
        opts: { port?: number[]; discover?: boolean; discoveryDir?: string; token?: string; json?: boolean; all?: boolean; allOps?: boolean; timeout: number },
      ) => {
        const options = { json: opts.json ?? false, all: opts.all ?? false, allOps: opts.allOps ?? false, timeoutMs: opts.timeout * 1000 };
        const choice = { arg: target, ports: opts.port, discover: opts.discover, discoveryDir: opts.discoveryDir, token: opts.token };
        // Loaded only when the command runs, so the other commands never load the dump.
        const [{ runMultiDump }, { isMultiTarget, resolveTargets, singleTarget }, { runDump }] = await Promise.all([
          import("./multi-dump.js"),
          import("../targets/target-set.js"),
          import("./dump-command.js"),
        ]);
        if (isMultiTarget(choice)) await runMultiDump(resolveTargets(choice), options, context.out);
        else await runDump(singleTarget(choice), options, context.out);
      },
    );
}
