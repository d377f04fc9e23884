/**
 * What `consolation check` does once its options are parsed: feeds the
 * engine from a live target or a file and reports the problems found.
 * register-check.ts loads this module only when the command runs.
 */
import { existsSync, statSync } from "node:fs";
import { boundedJsonReplacer, RuntimeStore } from "@async-insight/engine";
import { formatTarget } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { checkTargets } from "./multi-check.js";
import { isMultiTarget, resolveTargets, singleTarget } from "../targets/target-set.js";
import { watchLive } from "../targets/live-watch.js";
import { parseDurationMs } from "../cli/parse-span.js";
import { checkFile, lintStore, type CheckedProcess } from "./check-file.js";
import { checkJson, formatCheckText } from "./check-report.js";
import { checkConfig } from "./check-config.js";

export interface CheckOptions {
  port?: number[];
  discover?: boolean;
  discoveryDir?: string;
  token?: string;
  for: string;
  deny?: string[];
  allow?: string[];
  json?: boolean;
}

export async function runCheckCommand(arg: string | undefined, opts: CheckOptions, context: CommandContext): Promise<void> {
  const config = checkConfig(opts);
  let source: string;
  let processes: CheckedProcess[];
  const choice = { arg, ports: opts.port, discover: opts.discover, discoveryDir: opts.discoveryDir, token: opts.token };
  if (arg !== undefined && opts.port === undefined && !opts.discover && existsSync(arg) && statSync(arg).isFile()) {
    source = arg;
    processes = await checkFile(arg, config, context);
  } else if (isMultiTarget(choice)) {
    const targets = resolveTargets(choice);
    source = `${targets.length} target${targets.length === 1 ? "" : "s"}`;
    processes = await checkTargets(targets, config, parseDurationMs(opts.for, "--for"), context);
  } else {
    const target = singleTarget(choice);
    source = formatTarget(target);
    const store = new RuntimeStore();
    try {
      // A target lost mid-window fails the check: the rest of the window was never seen.
      await watchLive(target, { update: (u) => store.applyUpdate(u) }, { forMs: parseDurationMs(opts.for, "--for"), failOnLoss: true });
    } catch (error) {
      if (error instanceof CliError) throw new CliError(error.message, 2);
      throw error;
    }
    processes = [{ tasks: store.taskCount, problems: lintStore(store, config) }];
  }
  const failing = processes.flatMap((p) => p.problems).filter((p) => p.denied);
  context.out(opts.json ? `${JSON.stringify(checkJson(source, config, processes), boundedJsonReplacer, 2)}\n` : formatCheckText(source, processes));
  process.exitCode = failing.length > 0 ? 1 : 0;
}
