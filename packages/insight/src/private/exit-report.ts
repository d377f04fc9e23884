/**
 * INSIGHT_EXIT_REPORT=1: when the process ends with tasks still pending, a
 * short account of each and what it waits on, written to stderr. This is the
 * one place insight writes to the host's streams, and only when asked to.
 * Node exits silently when every task waits on a promise nobody can resolve;
 * this report is what says why.
 */
import { readFileSync, writeSync } from "node:fs";
import { locationOrUnknown, resolveSite, sourceLine, type Location } from "./callsite.js";
import { guarded } from "./debug.js";
import type { OpRecord, LiveTask } from "./records.js";
import type { Runtime } from "./runtime.js";
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/protocol/text";

function lineText(location: Location): string | undefined {
  const cached = sourceLine(location);
  if (cached !== undefined) return cached;
  try {
    // The process is exiting: a synchronous read can no longer delay anything.
    return readFileSync(location.file, "utf8").split(/\r?\n/)[location.line - 1]?.trim();
  } catch {
    return undefined;
  }
}

function describeWait(op: OpRecord): string {
  const name = op.resource.name ? ` ${op.resource.name}` : "";
  const site = resolveSite(op.site);
  const text = site ? lineText(site) : undefined;
  return safeText(`${op.reason} (${op.resource.concreteType}${name}) at ${locationOrUnknown(site)}${text ? `: ${text}` : ""}`, LONG_FIELD_WIDTH);
}

function describeTask(task: LiveTask): string {
  const where = resolveSite(task.site) ?? task.fallbackLocation;
  // Names come from the app's input (a request task is named by its URL path): made safe before stderr shows them.
  const head = `  task ${task.taskId} "${safeText(task.name)}" (${task.kind}, spawned at ${safeText(locationOrUnknown(where), LONG_FIELD_WIDTH)})`;
  const wait = task.waitingOn
    ? `\n    waiting: ${describeWait(task.waitingOn)}`
    : "\n    waiting on something insight does not instrument (a plain promise, I/O)";
  return head + wait;
}

/** The report's text, or undefined when nothing is pending. */
export function exitReport(runtime: Runtime): string | undefined {
  // The main task is always "pending"; it only matters when it is stuck in a wait.
  const pending = runtime.pendingTasks().filter((t) => t.kind !== "main" || t.waitingOn);
  if (pending.length === 0) return undefined;
  const lines = pending.map(describeTask);
  return `insight: ${pending.length} task${pending.length === 1 ? "" : "s"} still pending at exit:\n${lines.join("\n")}\n`;
}

/**
 * Installs the report on 'exit', and on SIGINT/SIGTERM when the app has no
 * handler of its own (re-raising the signal afterwards so the default action,
 * ending the process, still happens).
 */
export function installExitReport(getRuntime: () => Runtime | undefined): () => void {
  let printed = false;
  const print = () =>
    guarded(
      "exit report",
      () => {
        const rt = getRuntime();
        if (printed || !rt) return;
        printed = true;
        const text = exitReport(rt);
        if (text) writeSync(2, text);
      },
      undefined,
    );
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of signals) {
    if (process.listenerCount(signal) > 0) continue;
    const handler = () => {
      print();
      process.off(signal, handler);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  process.on("exit", print);
  return () => {
    process.off("exit", print);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
