/**
 * `consolation dump` over several targets: one snapshot from each, each
 * folded in its own engine store (ids and cycles never span processes), then
 * listed together with the process of every row. A discovered target that
 * cannot be reached (the process ended between the directory listing and the
 * connection) is reported as skipped; a named one fails the dump, as a single
 * target does.
 */
import { boundedJsonReplacer, LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import { ConsoleClient, fetchSnapshot, formatTarget, SnapshotError } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import type { DumpOptions } from "./dump-command.js";
import { formatDumpText } from "./format-text.js";
import { filterSnapshot, foldSnapshot, type DumpSnapshot, type HiddenCounts } from "./snapshot.js";
import { processLine, type NamedTarget } from "../targets/target-set.js";

interface Dumped {
  readonly target: NamedTarget;
  readonly snapshot: DumpSnapshot & { hidden: HiddenCounts };
}

interface Skipped {
  readonly target: NamedTarget;
  readonly error: string;
}

export function targetJson(target: NamedTarget) {
  const server = target.server;
  return {
    process: target.label,
    target: formatTarget(target.url),
    ...(server
      ? {
          pid: server.pid,
          ppid: server.ppid,
          threadId: server.threadId,
          kind: server.kind,
          ...(server.clusterWorkerId !== undefined ? { clusterWorkerId: server.clusterWorkerId } : {}),
          script: server.script,
        }
      : {}),
  };
}

export async function runMultiDump(targets: readonly NamedTarget[], options: DumpOptions, write: (text: string) => void): Promise<void> {
  if (targets.length === 0) throw new CliError("no target: the discovery directory lists no live process with insight (docs/processes.md)");
  const settled = await Promise.allSettled(
    targets.map(async (target) => {
      const client = new ConsoleClient(target.url, options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {});
      const pieces = await fetchSnapshot(client, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {});
      return filterSnapshot(foldSnapshot(pieces), { finished: options.all ?? false, finishedOps: (options.all || options.allOps) ?? false });
    }),
  );
  const dumped: Dumped[] = [];
  const skipped: Skipped[] = [];
  settled.forEach((result, i) => {
    const target = targets[i]!;
    if (result.status === "fulfilled") return dumped.push({ target, snapshot: result.value });
    const error = result.reason instanceof Error ? result.reason.message : String(result.reason);
    if (!target.discovered) throw result.reason instanceof SnapshotError ? new CliError(`${target.label}: ${error}`) : result.reason;
    skipped.push({ target, error });
  });
  if (dumped.length === 0) throw new CliError(`none of the ${targets.length} discovered targets answered: ${skipped[0]?.error ?? ""}`);
  const label = <T>(rows: (d: Dumped) => readonly T[]) => dumped.flatMap((d) => rows(d).map((row) => ({ process: d.target.label, ...row })));
  const tasks = label((d) => d.snapshot.tasks);
  const resources = label((d) => d.snapshot.resources);
  const asyncOps = label((d) => d.snapshot.asyncOps);
  if (options.json) {
    const json = {
      targets: dumped.map((d) => ({
        ...targetJson(d.target),
        nowNanos: d.snapshot.nowNanos,
        droppedEvents: d.snapshot.droppedEvents,
        hidden: d.snapshot.hidden,
      })),
      skipped: skipped.map((s) => ({ ...targetJson(s.target), error: s.error })),
      tasks,
      resources,
      asyncOps,
    };
    write(`${JSON.stringify(json, boundedJsonReplacer, 2)}\n`);
    return;
  }
  const sum = (pick: (d: Dumped) => bigint) => dumped.reduce((total, d) => total + pick(d), 0n);
  const count = (pick: (h: HiddenCounts) => number) => dumped.reduce((total, d) => total + pick(d.snapshot.hidden), 0);
  const merged = {
    nowNanos: undefined,
    tasks,
    resources,
    asyncOps,
    droppedEvents: {
      tasks: sum((d) => d.snapshot.droppedEvents.tasks),
      resources: sum((d) => d.snapshot.droppedEvents.resources),
      asyncOps: sum((d) => d.snapshot.droppedEvents.asyncOps),
    },
    hidden: { tasks: count((h) => h.tasks), resources: count((h) => h.resources), asyncOps: count((h) => h.asyncOps) },
  };
  const lines = [...dumped.map((d) => processLine(d.target)), ...skipped.map((s) => `${processLine(s.target)}  skipped: ${s.error}`)].map((l) =>
    safeText(l, LONG_FIELD_WIDTH),
  );
  const what = `${dumped.length} process${dumped.length === 1 ? "" : "es"}${skipped.length ? ` (${skipped.length} skipped)` : ""}`;
  write(formatDumpText(what, merged, { showOpState: (options.all || options.allOps) ?? false, processes: lines }));
}
