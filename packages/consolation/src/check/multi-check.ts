/**
 * `consolation check` over several live targets: each watched for the same
 * window into its own engine store and linted on its own (a cycle never spans
 * processes: no wait crosses a process boundary on the wire), every problem
 * labelled with its process. A named target lost mid-window fails the check
 * (exit 2), as a single target does; a discovered one that ends or never
 * answers is left out and said so, since processes come and go (a worker
 * thread that finished its job is not a failure).
 */
import { RuntimeStore, type LintConfig } from "@async-insight/engine";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { lintStore, type CheckedProcess } from "./check-file.js";
import { watchLive } from "../targets/live-watch.js";
import type { NamedTarget } from "../targets/target-set.js";

export async function checkTargets(targets: readonly NamedTarget[], config: LintConfig, forMs: number, context: CommandContext): Promise<CheckedProcess[]> {
  if (targets.length === 0) throw new CliError("no target: the discovery directory lists no live process with insight (docs/processes.md)", 2);
  const results = await Promise.all(
    targets.map(async (target): Promise<CheckedProcess | undefined> => {
      const store = new RuntimeStore();
      const discovered = target.discovered === true;
      try {
        await watchLive(target.url, { update: (u) => store.applyUpdate(u) }, { forMs, failOnLoss: !discovered });
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        if (!discovered) throw new CliError(`${target.label}: ${error.message}`, 2);
        if (store.taskCount === 0) {
          context.err(`consolation: left out ${target.label}: ${error.message}\n`);
          return undefined;
        }
      }
      return { tasks: store.taskCount, problems: lintStore(store, config), label: target.label };
    }),
  );
  const checked = results.filter((r): r is CheckedProcess => r !== undefined);
  if (checked.length === 0) throw new CliError(`none of the ${targets.length} discovered targets answered`, 2);
  return checked;
}
