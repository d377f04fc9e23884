/**
 * `consolation check (TARGET|FILE)`: runs without interaction, prints each
 * problem with its locations and docs link, and exits 1 when a denied problem
 * is found, 0 otherwise, 2 when it could not check at all.
 */
import { existsSync, statSync } from "node:fs";
import type { Command } from "commander";
import { formatTarget } from "@insight/protocol/client";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { portOption, resolveTarget } from "../cli/target-option.js";
import { watchLive } from "../record/live-watch.js";
import { parseDurationMs } from "../record/parse-span.js";
import { readUpdates } from "../replay/read-updates.js";
import { CheckModel } from "./check-model.js";
import { findProblems, LINTS, type Problem } from "./find-problems.js";

const collect = (value: string, previous: string[]) => [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean)];

export function registerCheck(program: Command, context: CommandContext): void {
  program
    .command("check")
    .description("look for deadlocks and lint problems in a live target or a recording/trace, for CI; exit 1 on a denied problem")
    .argument("[target-or-file]", "console server (default http://127.0.0.1:6669), or a recording or tokio trace file")
    .addOption(portOption())
    .option("--for <duration>", "how long to watch a live target", "10s")
    .option("--deny <lint...>", `problems that fail the check (default: deadlock); known: ${Object.keys(LINTS).join(", ")}`, collect, [])
    .option("--allow <lint...>", "problems never reported as failures", collect, [])
    .option("--json", "machine-readable output")
    .action(async (arg: string | undefined, opts: { port?: number; for: string; deny: string[]; allow: string[]; json?: boolean }) => {
      for (const id of [...opts.deny, ...opts.allow]) if (!(id in LINTS) && id !== "all") throw new CliError(`unknown lint "${id}"; known: ${Object.keys(LINTS).join(", ")}`, 2);
      const model = new CheckModel();
      let source: string;
      if (arg !== undefined && opts.port === undefined && existsSync(arg) && statSync(arg).isFile()) {
        source = arg;
        const problems: string[] = [];
        const result = await readUpdates(arg, { update: (u) => model.apply(u), problem: (p) => problems.push(`line ${p.line}: ${p.message}`) });
        if (result.format === undefined) throw new CliError(`${arg}: not a recording or trace consolation can read`, 2);
        for (const p of problems.slice(0, 20)) context.err(`consolation: ${arg}: ${p}\n`);
      } else {
        const target = resolveTarget(arg, opts.port);
        source = formatTarget(target);
        try {
          await watchLive(target, { update: (u) => model.apply(u) }, { forMs: parseDurationMs(opts.for, "--for") });
        } catch (error) {
          if (error instanceof CliError) throw new CliError(error.message, 2);
          throw error;
        }
      }
      const denied = new Set(opts.deny.includes("all") ? Object.keys(LINTS) : [...Object.entries(LINTS).filter(([, l]) => l.deniedByDefault).map(([id]) => id), ...opts.deny]);
      for (const id of opts.allow.includes("all") ? Object.keys(LINTS) : opts.allow) denied.delete(id);
      const problems = findProblems(model);
      const failing = problems.filter((p) => denied.has(p.id));
      context.out(opts.json ? `${JSON.stringify({ source, ok: failing.length === 0, denied: [...denied], problems: problems.map((p) => ({ ...p, denied: denied.has(p.id) })) }, null, 2)}\n` : formatText(source, problems, denied, model.tasks.size));
      process.exitCode = failing.length > 0 ? 1 : 0;
    });
}

function formatText(source: string, problems: readonly Problem[], denied: ReadonlySet<string>, tasks: number): string {
  const lines = [`checked ${source}: ${tasks} tasks`];
  for (const p of problems) {
    lines.push(`${denied.has(p.id) ? "error" : "warning"}[${p.id}]: ${p.summary}`);
    for (const l of p.locations) lines.push(`  --> ${l.where || "(no location)"}  ${l.what}`);
    lines.push(`  see ${p.docs}`);
  }
  const failing = problems.filter((p) => denied.has(p.id)).length;
  lines.push(failing ? `check failed: ${failing} denied problem${failing === 1 ? "" : "s"}` : `check passed${problems.length ? ` (${problems.length} warning${problems.length === 1 ? "" : "s"})` : ""}`);
  return `${lines.join("\n")}\n`;
}
