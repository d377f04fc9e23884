/**
 * `consolation check (TARGET|FILE)`: runs without interaction, feeds the
 * engine from a live target or a file, prints each problem with its
 * locations and docs page, and exits 1 when a denied problem is found, 0
 * otherwise, 2 when it could not check at all.
 */
import { existsSync, statSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import type { Command } from "commander";
import { lintDefinitions, RuntimeStore, runLints, type LintConfig } from "@insight/engine";
import { nanosToTimestamp, UpdateSchema } from "@insight/protocol";
import { formatTarget } from "@insight/protocol/client";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { checkLintIds, collectIds } from "../cli/lint-options.js";
import { portOption, resolveTarget } from "../cli/target-option.js";
import { watchLive } from "../record/live-watch.js";
import { parseDurationMs } from "../record/parse-span.js";
import { readUpdates } from "../replay/read-updates.js";
import { formatCheckText, reportProblem } from "./check-report.js";

/** Problems that mean a hang: denied unless the user allows them. */
export const DENIED_BY_DEFAULT = lintDefinitions()
  .filter((l) => l.severity === "error")
  .map((l) => l.id);

interface CheckOptions {
  port?: number;
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

async function feedFromFile(file: string, store: RuntimeStore, context: CommandContext): Promise<void> {
  const problems: string[] = [];
  const result = await readUpdates(file, { update: (u) => store.applyUpdate(u), problem: (p) => problems.push(`line ${p.line}: ${p.message}`) });
  if (result.format === undefined) throw new CliError(`${file}: not a recording or trace consolation can read`, 2);
  for (const p of problems.slice(0, 20)) context.err(`consolation: ${file}: ${p}\n`);
  if (problems.length > 20) context.err(`consolation: ${file}: ${problems.length - 20} more problems not shown\n`);
  // The file's last state is final: nothing will come to release it. One more
  // observation of that state lets the engine confirm what holds at the end.
  if (store.now !== undefined) store.applyUpdate(create(UpdateSchema, { now: nanosToTimestamp(store.now) }));
}

export function registerCheck(program: Command, context: CommandContext): void {
  program
    .command("check")
    .description("look for deadlocks and other problems in a live target or a recording/trace, for CI; exit 1 on a denied problem")
    .argument("[target-or-file]", "console server (default http://127.0.0.1:6669), or a recording or tokio trace file")
    .addOption(portOption())
    .option("--for <duration>", "how long to watch a live target", "10s")
    .option("--deny <lints>", `problems that fail the check, comma-separated or repeated; \`all\` for every lint (default: ${DENIED_BY_DEFAULT.join(", ")})`, collectIds)
    .option("--allow <lints>", "problems never reported; `all` for every lint not denied", collectIds)
    .option("--json", "machine-readable output")
    .action(async (arg: string | undefined, opts: CheckOptions) => {
      const config = checkConfig(opts);
      const store = new RuntimeStore();
      let source: string;
      if (arg !== undefined && opts.port === undefined && existsSync(arg) && statSync(arg).isFile()) {
        source = arg;
        await feedFromFile(arg, store, context);
      } else {
        const target = resolveTarget(arg, opts.port);
        source = formatTarget(target);
        try {
          await watchLive(target, { update: (u) => store.applyUpdate(u) }, { forMs: parseDurationMs(opts.for, "--for") });
        } catch (error) {
          if (error instanceof CliError) throw new CliError(error.message, 2);
          throw error;
        }
      }
      const problems = runLints(store, config).map((p) => reportProblem(store, p));
      const failing = problems.filter((p) => p.denied);
      context.out(
        opts.json
          ? `${JSON.stringify({ source, ok: failing.length === 0, tasks: store.taskCount, denied: config.deny, problems }, null, 2)}\n`
          : formatCheckText(source, store.taskCount, problems),
      );
      process.exitCode = failing.length > 0 ? 1 : 0;
    });
}
