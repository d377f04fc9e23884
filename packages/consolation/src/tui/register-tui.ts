/**
 * Wires the terminal console in as the default command: `consolation
 * [TARGET]` draws the live UI on a terminal, and prints a plain report when
 * stdout is not one.
 */
import { Option, type Command } from "commander";
import { ConsoleClient } from "@insight/protocol/client";
import type { ReadStream, WriteStream } from "node:tty";
import type { CommandContext } from "../cli/command-context.js";
import { CliError } from "../cli/cli-error.js";
import { addLintOptions, lintConfigFrom, type LintFlags } from "../cli/lint-options.js";
import { portOption, resolveTarget } from "../cli/target-option.js";
import { runApp } from "./app.js";
import { LiveFeed } from "./conn/feed.js";
import { printPlainReport } from "./plain-report.js";
import { createRuntimeSource } from "./state/create-source.js";
import { openTerminal } from "./term/terminal-session.js";

interface TuiOptions extends LintFlags {
  port?: number;
  outDir: string;
  plain?: boolean;
  reportUpdates: number;
}

export function registerTui(program: Command, context: CommandContext): void {
  // Without positional options, `consolation dump --port 1` would hand --port to this command instead of dump.
  addLintOptions(program)
    .enablePositionalOptions()
    .argument("[target]", "console server to watch (default http://127.0.0.1:6669)")
    .addOption(portOption())
    .addOption(new Option("--out-dir <dir>", "where D and M write graph files").default(process.cwd(), "the current directory"))
    .option("--plain", "print a plain report and exit, even on a terminal")
    .addOption(new Option("--report-updates <n>", "updates to watch before a plain report").default(3).argParser(Number))
    .action(async (target: string | undefined, opts: TuiOptions) => {
      const client = new ConsoleClient(resolveTarget(target, opts.port));
      const source = createRuntimeSource(lintConfigFrom(opts));
      const stdout = process.stdout as WriteStream;
      const stdin = process.stdin as ReadStream;
      if (opts.plain || !stdout.isTTY) {
        await printPlainReport(client, source, { updates: opts.reportUpdates, timeoutMs: 10_000 }, context.out);
        return;
      }
      if (!stdin.isTTY) throw new CliError("the live console needs a terminal on stdin for its keys; use --plain for a report");
      let quit = () => {};
      const terminal = openTerminal(stdin, stdout, () => quit());
      const app = runApp({ feed: new LiveFeed(client), source, terminal, outDir: opts.outDir });
      quit = app.quit;
      await app.done;
      // Open HTTP/2 sessions and the stdin handle would otherwise keep the process alive.
      process.exit(0);
    });
}
