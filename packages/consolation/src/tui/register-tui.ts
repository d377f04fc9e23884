/**
 * Wires the terminal console in as the default command: `consolation
 * [TARGET]` draws the live UI on a terminal, and prints a plain report when
 * stdout is not one.
 */
import { Option, type Command } from "commander";
import { ConsoleClient } from "@async-insight/client";
import type { ReadStream, WriteStream } from "node:tty";
import type { CommandContext } from "../cli/command-context.js";
import { CliError } from "../cli/cli-error.js";
import { addLintOptions, lintConfigFrom, type LintFlags } from "../cli/lint-options.js";
import { discoverOption, discoveryDirOption, portsOption, tokenOption } from "../cli/target-option.js";
import { MultiTargetSession } from "../targets/multi-session.js";
import { printMultiPlainReport } from "../targets/multi-plain-report.js";
import { isMultiTarget, resolveTargets, singleTarget, type TargetChoice } from "../targets/target-set.js";
import { runApp } from "./app.js";
import { LiveFeed } from "./conn/feed.js";
import { printPlainReport } from "./plain-report.js";
import { createRuntimeSource } from "./state/create-source.js";
import { openTerminal } from "./term/terminal-session.js";

interface TuiOptions extends LintFlags {
  port?: number[];
  discover?: boolean;
  discoveryDir?: string;
  token?: string;
  outDir: string;
  plain?: boolean;
  reportUpdates: number;
}

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
      const stdout = process.stdout as WriteStream;
      const stdin = process.stdin as ReadStream;
      const choice = { arg: target, ports: opts.port, discover: opts.discover, discoveryDir: opts.discoveryDir, token: opts.token };
      if (isMultiTarget(choice)) {
        await runMultiTarget(choice, opts, stdin, stdout, context);
        return;
      }
      const client = new ConsoleClient(singleTarget(choice));
      const source = createRuntimeSource(lintConfigFrom(opts));
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

/** Several targets, or --discover: one session over all of them (docs/processes.md). */
async function runMultiTarget(choice: TargetChoice, opts: TuiOptions, stdin: ReadStream, stdout: WriteStream, context: CommandContext): Promise<void> {
  const targets = resolveTargets(choice);
  const lints = lintConfigFrom(opts);
  if (opts.plain || !stdout.isTTY) {
    await printMultiPlainReport(targets, lints, { updates: opts.reportUpdates, timeoutMs: 10_000 }, context.out);
    return;
  }
  if (!stdin.isTTY) throw new CliError("the live console needs a terminal on stdin for its keys; use --plain for a report");
  if (targets.length === 0 && !choice.discover) throw new CliError("no target to watch");
  const session = new MultiTargetSession(targets, lints, choice.discover ? { dir: choice.discoveryDir, token: choice.token } : undefined);
  let quit = () => {};
  const terminal = openTerminal(stdin, stdout, () => quit());
  const app = runApp({ feed: session.feed, source: session.source, terminal, outDir: opts.outDir });
  quit = app.quit;
  await app.done;
  process.exit(0);
}
