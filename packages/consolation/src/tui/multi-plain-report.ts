/**
 * The plain report (stdout not a terminal) over several targets: each target
 * watched for the same number of updates into its own store, then one report
 * of the union, every task with its process and every problem naming it.
 */
import type { LintConfig } from "@async-insight/engine";
import { ConsoleClient } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import { collect, formatPlainReport, type PlainReportOptions } from "./plain-report.js";
import { createViewStore } from "./state/create-view-store.js";
import { processLine } from "../targets/target-set.js";
import { MultiView } from "./state/multi-view.js";
import type { NamedTarget } from "../targets/target-set.js";

export async function printMultiPlainReport(
  targets: readonly NamedTarget[],
  lints: LintConfig | undefined,
  options: PlainReportOptions,
  write: (text: string) => void,
): Promise<void> {
  if (targets.length === 0) throw new CliError("no target: the discovery directory lists no live process with insight (docs/processes.md)");
  const parts = targets.map((target, i) => ({ id: i + 1, label: target.label, target, source: createViewStore(lints) }));
  const seen = await Promise.all(parts.map((p) => collect(new ConsoleClient(p.target.url), p.source, options)));
  const answered = parts.filter((_, i) => seen[i]!.seen > 0);
  if (answered.length === 0) throw new CliError(seen[0]?.error || `no data from any of the ${targets.length} targets within ${options.timeoutMs / 1000}s`);
  const view = new MultiView(() => answered.map((p) => ({ id: p.id, label: p.label, view: () => p.source.view() })));
  const silent = parts.filter((_, i) => seen[i]!.seen === 0).map((p) => `${processLine(p.target)}  no data: ${seen[parts.indexOf(p)]!.error || "timed out"}`);
  const title = [
    `targets: ${answered.length} process${answered.length === 1 ? "" : "es"}`,
    ...answered.map((p) => `  ${processLine(p.target)}`),
    ...silent.map((l) => `  ${l}`),
  ].join("\n");
  const source = { applyUpdate: () => {}, reset: () => {}, taskCreatedAt: () => undefined, view: () => view };
  write(formatPlainReport(title, source, "run in a terminal for the live console"));
}
