/**
 * What `consolation [TARGET]` does once its options are parsed: the live
 * terminal console, or a plain report when stdout is not a terminal.
 * register-tui.ts loads this module only when the command runs.
 */
import { ConsoleClient } from "@async-insight/client";
import type { ReadStream, WriteStream } from "node:tty";
import type { CommandContext } from "../cli/command-context.js";
import { CliError } from "../cli/cli-error.js";
import { lintConfigFrom, type LintFlags } from "../cli/lint-options.js";
import { MultiTargetSession } from "./conn/multi-session.js";
import { printMultiPlainReport } from "./multi-plain-report.js";
import { isMultiTarget, resolveTargets, singleTarget, type TargetChoice } from "../targets/target-set.js";
import { runApp } from "./app.js";
import { LiveFeed } from "./conn/feed.js";
import { printPlainReport } from "./plain-report.js";
import { createViewStore } from "./state/create-view-store.js";
import { openTerminal } from "./term/terminal-session.js";

export interface TuiOptions extends LintFlags {
  port?: number[];
  discover?: boolean;
  discoveryDir?: string;
  token?: string;
  outDir: string;
  plain?: boolean;
  reportUpdates: number;
}

export async function runTuiCommand(target: string | undefined, opts: TuiOptions, context: CommandContext): Promise<void> {
  const stdout = process.stdout as WriteStream;
  const stdin = process.stdin as ReadStream;
  const choice = { arg: target, ports: opts.port, discover: opts.discover, discoveryDir: opts.discoveryDir, token: opts.token };
  if (isMultiTarget(choice)) {
    await runMultiTarget(choice, opts, stdin, stdout, context);
    return;
  }
  const client = new ConsoleClient(singleTarget(choice));
  const source = createViewStore(lintConfigFrom(opts));
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
