/**
 * What the terminal views read. The views never touch the engine directly:
 * an adapter (from-engine.ts) answers these questions from the engine's
 * store, which keeps views testable and the engine free to evolve.
 */

export type TaskState = "running" | "ready" | "blocked" | "completed";

/** Fractions of a task's lifetime, each 0..1. */
export interface StateShare {
  readonly running: number;
  readonly ready: number;
  readonly blocked: number;
}

export interface TaskRow {
  /** Stable key used for selection across frames. */
  readonly key: string;
  /** The protocol id (a span id on tokio), for WatchTaskDetails. */
  readonly protocolId: bigint;
  /** The id people see: `task.id` when the target sends one. */
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly state: TaskState;
  readonly share: StateShare;
  /** Recent busy fractions, oldest first, each 0..1: the sparkline. */
  readonly recent: readonly number[];
  readonly totalNs: bigint;
  readonly busyNs: bigint;
  readonly scheduledNs: bigint;
  readonly idleNs: bigint;
  readonly polls: bigint;
  readonly location: string;
  readonly fields: string;
  readonly warnings: number;
}

/** One thing a task waits on, in words. */
export interface WaitLine {
  readonly resourceKey: string | undefined;
  /** The resource's name as its user gave it, or type and id. */
  readonly resourceLabel: string;
  readonly resourceType: string;
  readonly reason: string;
  /** file:line of the await, when known. */
  readonly awaitLocation: string | undefined;
  /** The text of that source line, when known. */
  readonly awaitSource: string | undefined;
  /** For channels: a blocked send is freed by receivers, a blocked receive by senders. */
  readonly direction: "send" | "recv" | undefined;
}

export interface TaskRef {
  readonly key: string;
  readonly label: string;
}

export interface TaskDetail {
  readonly row: TaskRow;
  readonly parent: TaskRef | undefined;
  readonly waits: readonly WaitLine[];
  readonly wakers: {
    readonly clones: bigint;
    readonly drops: bigint;
    readonly wakes: bigint;
    readonly selfWakes: bigint;
    readonly wokenBy: string | undefined;
    /** Time since the last wake, when it was ever woken. */
    readonly lastWokenAgoNs: bigint | undefined;
  };
  /** Full-sentence warnings about this task. */
  readonly warnings: readonly string[];
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

export interface ResourceRow {
  readonly key: string;
  readonly id: string;
  readonly parentId: string;
  readonly kind: string;
  readonly type: string;
  readonly name: string;
  readonly location: string;
  readonly attributes: string;
  readonly internal: boolean;
  readonly totalNs: bigint;
  /** Tasks currently waiting on it. */
  readonly waiting: number;
  readonly dropped: boolean;
}

/** A task that can free a resource, and why. */
export interface Freer {
  readonly task: TaskRef;
  /** e.g. "holder", "sole receiver (mpsc channel)". */
  readonly role: string;
  readonly inferred: boolean;
}

/** The freers relevant to a wait: receivers for a blocked send, senders for a blocked receive. */
export function freersFor(freers: readonly Freer[], direction: "send" | "recv" | undefined): readonly Freer[] {
  if (direction === "send") return freers.filter((f) => f.role.includes("receiver"));
  if (direction === "recv") return freers.filter((f) => f.role.includes("sender"));
  return freers;
}

export interface AsyncOpRow {
  readonly id: string;
  readonly task: TaskRef | undefined;
  readonly source: string;
  readonly totalNs: bigint;
  readonly busyNs: bigint;
  readonly polls: bigint;
  readonly attributes: string;
}

export interface ResourceDetail {
  readonly row: ResourceRow;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  readonly waiting: ReadonlyArray<{ readonly task: TaskRef; readonly reason: string }>;
  readonly freers: readonly Freer[];
  readonly asyncOps: readonly AsyncOpRow[];
}

export type Severity = "error" | "warning" | "info";

export interface ProblemTask {
  readonly task: TaskRef;
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly attributes: string;
  readonly waits: readonly WaitLine[];
}

export interface Problem {
  /** The lint id, e.g. "deadlock-cycle". */
  readonly lint: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly explanation: string;
  /** Repository-relative docs page, e.g. docs/problems/deadlock-cycle.md. */
  readonly docsPage: string;
  readonly tasks: readonly ProblemTask[];
  /** Graph exports, for cycles. */
  readonly dot?: () => string;
  readonly mermaid?: () => string;
}

export interface DroppedEvents {
  readonly tasks: bigint;
  readonly resources: bigint;
  readonly asyncOps: bigint;
}

/** Everything the views ask of the runtime state. */
export interface RuntimeView {
  tasks(): readonly TaskRow[];
  task(key: string): TaskDetail | undefined;
  resources(): readonly ResourceRow[];
  resource(key: string): ResourceDetail | undefined;
  /** Confirmed problems, most severe first. */
  problems(): readonly Problem[];
  dropped(): DroppedEvents;
}

/** Summary of one duration histogram from WatchTaskDetails. */
export interface HistogramSummary {
  readonly count: bigint;
  readonly minNs: bigint;
  readonly maxNs: bigint;
  readonly highOutliers: bigint;
  readonly percentiles: ReadonlyArray<readonly [number, bigint]>;
  /** Counts per equal-width bucket between min and max, for drawing. */
  readonly buckets: readonly number[];
}

export interface TaskHistograms {
  readonly protocolId: bigint;
  readonly poll: HistogramSummary | undefined;
  readonly scheduled: HistogramSummary | undefined;
}
