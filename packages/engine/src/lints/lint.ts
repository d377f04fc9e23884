/** The shape every lint implements, and helpers they share. */
import type { CycleResource, DeadlockCycle, DisplayId, LintDefinition, LintThresholds, Nanos, TaskRecord } from "../model.js";
import { taskName } from "../evidence/evidence-text.js";
import { resourceText } from "../relations/capacity.js";
import type { RuntimeStore } from "../store/store.js";

export interface LintContext {
  readonly store: RuntimeStore;
  readonly now: Nanos | undefined;
  readonly thresholds: LintThresholds;
}

/** A problem before the registry attaches id, level and docs. */
export interface ProblemDraft {
  /** What the problem is about, unique within its lint (`task:7`, `resource:3`...). */
  readonly subject: string;
  readonly message: string;
  readonly tasks: readonly DisplayId[];
  readonly resources?: readonly DisplayId[];
  readonly locations?: readonly string[];
  readonly cycle?: DeadlockCycle;
  readonly starved?: readonly DisplayId[];
}

export interface Lint {
  readonly definition: LintDefinition;
  check(context: LintContext): ProblemDraft[];
}

export function define(id: string, severity: LintDefinition["severity"], summary: string, explanation: string): LintDefinition {
  return { id, severity, summary, explanation, docsPath: `docs/problems/${id}.md`, defaultLevel: "warn" };
}

export const DEFAULT_THRESHOLDS: LintThresholds = {
  selfWakePercent: 50,
  neverYieldedNs: 1_000_000_000n,
  largeFutureBytes: 1024n,
  longPollNs: 100_000_000n,
  highScheduledShare: 0.25,
  highScheduledMinLifeNs: 1_000_000_000n,
  lockIdleNs: 1_000_000_000n,
  fullChannelNs: 1_000_000_000n,
  stuckAwaitNs: 30_000_000_000n,
};

/** How a task is named in messages: `7 "worker"` or `7`. */
export const taskText: (task: TaskRecord | undefined, id: DisplayId) => string = taskName;

/** tokio-console's lints skip these kinds, whose long polls are by design (#517). */
export function isBlockingKind(task: TaskRecord): boolean {
  return task.kind === "blocking" || task.kind === "block_on";
}

export function formatNanos(ns: Nanos): string {
  if (ns >= 1_000_000_000n) return `${(Number(ns) / 1e9).toFixed(2)} s`;
  if (ns >= 1_000_000n) return `${(Number(ns) / 1e6).toFixed(1)} ms`;
  if (ns >= 1_000n) return `${(Number(ns) / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}

export function locs(...values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/** A cycle's resource in words: `ledger`, or `pool orders-db` for a library resource. */
export function cycleResourceText(store: RuntimeStore, resource: CycleResource): string {
  const record = store.resource(resource.id);
  return record ? resourceText(record) : resource.label;
}
