/**
 * `consolation check (TARGET|FILE)`: runs without interaction, feeds the
 * engine from a live target or a file, prints each problem with its
 * locations and docs page, and exits 1 when a denied problem is found, 0
 * otherwise, 2 when it could not check at all. The check itself
 * (check-command.ts) is loaded only when the command runs.
 */
import type { Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import { collectIds } from "../cli/lint-options.js";
import { discoverOption, discoveryDirOption, portsOption, tokenOption } from "../cli/target-option.js";
import { DENIED_BY_DEFAULT } from "./check-config.js";
import type { CheckOptions } from "./check-command.js";

export function registerCheck(program: Command, context: CommandContext): void {
  program
    .command("check")
    .description("look for deadlocks and other problems in a live target or a recording/trace, for CI; exit 1 on a denied problem")
    .argument("[target-or-file]", "console server (default http://127.0.0.1:6669; TARGET,TARGET,... for several), or a recording or tokio trace file")
    .addOption(portsOption())
    .addOption(discoverOption())
    .addOption(discoveryDirOption())
    .addOption(tokenOption())
    .option("--for <duration>", "how long to watch a live target", "10s")
    .option(
      "--deny <lints>",
      `problems that fail the check, comma-separated or repeated; \`all\` for every lint (default: ${DENIED_BY_DEFAULT.join(", ")})`,
      collectIds,
    )
    .option("--allow <lints>", "problems never reported; `all` for every lint not denied", collectIds)
    .option("--json", "machine-readable output")
    .action(async (arg: string | undefined, opts: CheckOptions) => {
      const { runCheckCommand } = await import("./check-command.js");
      await runCheckCommand(arg, opts, context);
    });
}
