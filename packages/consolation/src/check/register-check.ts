/**
 * `consolation check (TARGET|FILE)`: runs without interaction, feeds the
 * engine from a live target or a file, prints each problem with its
 * locations and docs page, and exits 1 when a denied problem is found, 0
 * otherwise, 2 when it could not check at all.
 */
import { existsSync, statSync } from "node:fs";
import type { Command } from "commander";
import { boundedJsonReplacer, lintDefinitions, RuntimeStore, type LintConfig } from "@async-insight/engine";
import { formatTarget } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { checkLintIds, collectIds } from "../cli/lint-options.js";
import { discoverOption, discoveryDirOption, portsOption, tokenOption } from "../cli/target-option.js";
import { checkTargets } from "../targets/multi-check.js";
import { isMultiTarget, resolveTargets, singleTarget } from "../targets/target-set.js";
import { watchLive } from "../record/live-watch.js";
import { parseDurationMs } from "../record/parse-span.js";
import { checkFile, lintStore, type CheckedProcess } from "./check-file.js";
import { checkJson, formatCheckText } from "./check-report.js";

/** Problems that mean a hang: denied unless the user allows them. */
export const DENIED_BY_DEFAULT = lintDefinitions()
  .filter((l) => l.severity === "error")
  .map((l) => l.id);

interface CheckOptions {
  port?: number[];
  discover?: boolean;
  discoveryDir?: string;
  token?: string;
  for: string;
  deny?: string[];
  allow?: string[];
  json?: boolean;
}

/** Denied: the defaults and --deny, less what --allow names (unless --deny names it too). Allowed lints are not reported. */
export function checkConfig(opts: Pick<CheckOptions, "deny" | "allow">): LintConfig {
  const all = lintDefinitions().map((l) => l.id);
  const expand = (ids: readonly string[] | undefined): string[] => (ids?.includes("all") ? all : [...(ids ?? [])]);
  const denied = expand(opts.deny);
  const allowed = new Set(expand(opts.allow).filter((id) => !denied.includes(id)));
  const deny = [...new Set([...DENIED_BY_DEFAULT, ...denied])].filter((id) => !allowed.has(id));
  const config = { deny, allow: [...allowed] };
  checkLintIds(config);
  return config;
}

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
    });
}
