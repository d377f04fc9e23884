/**
 * Wires the terminal console in as the default command: `consolation
 * [TARGET]` draws the live UI on a terminal, and prints a plain report when
 * stdout is not one. The console itself (tui-command.ts) is loaded only when
 * the command runs, so other commands never load it, nor it theirs.
 */
import { Option, type Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import { addLintOptions } from "../cli/lint-options.js";
import { discoverOption, discoveryDirOption, portsOption, tokenOption } from "../cli/target-option.js";
import type { TuiOptions } from "./tui-command.js";

export function registerTui(program: Command, context: CommandContext): void {
  // Without positional options, `consolation dump --port 1` would hand --port to this command instead of dump.
  addLintOptions(program)
    .enablePositionalOptions()
    .argument("[target]", "console server to watch (default http://127.0.0.1:6669); TARGET,TARGET,... watches several")
    .addOption(portsOption())
    .addOption(discoverOption())
    .addOption(discoveryDirOption())
    .addOption(tokenOption())
    .addOption(new Option("--out-dir <dir>", "where D and M write graph files").default(process.cwd(), "the current directory"))
    .option("--plain", "print a plain report and exit, even on a terminal")
    .addOption(
      new Option("--report-updates <n>", "updates to watch before a plain report (a snapshot split into several messages counts once)")
        .default(3)
        .argParser(Number),
    )
    .action(async (target: string | undefined, opts: TuiOptions) => {
      const { runTuiCommand } = await import("./tui-command.js");
      await runTuiCommand(target, opts, context);
    });
}
