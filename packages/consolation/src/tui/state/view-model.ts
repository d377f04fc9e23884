import type { DroppedEvents, FreerRole, Severity, TaskActivity } from "@async-insight/engine";

/**
 * What the terminal views read. The views never touch the engine directly:
 * an adapter (from-engine.ts) answers these questions from the engine's
 * store, which keeps views testable and the engine free to evolve.
 */

/**
 * Shapes the views read, named `Shown*` where the engine has a model type of
 * the same idea (the engine's `Problem`, `Freer`, `StateShare` hold ids and
 * nanoseconds; these hold keys and words). Task states are the engine's one
 * vocabulary (`taskActivity`): `blocked` is idle while waiting on a pending
 * async op, `idle` is idle with no known wait. Severity and dropped-event
 * counts are the engine's own types.
 */
export type { DroppedEvents, Severity, TaskActivity } from "@async-insight/engine";

/** Fractions of a task's lifetime, each 0..1. */
export interface ShownStateShare {
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
  readonly state: TaskActivity;
  readonly share: ShownStateShare;
  /** Recent busy fractions, oldest first, each 0..1: the sparkline. */
  readonly recent: readonly number[];
  readonly totalNs: bigint;
  readonly busyNs: bigint;
  readonly scheduledNs: bigint;
  readonly idleNs: bigint;
  readonly polls: bigint;
  /**
   * The same durations and polls as numbers (exact up to 2^53 ns, 104 days),
   * when the source keeps them: sorting 10k rows by Total compares these
   * instead of making two bigints a comparison.
   */
  readonly nanos?: { readonly total: number; readonly busy: number; readonly scheduled: number; readonly idle: number; readonly polls: number };
  readonly location: string;
  readonly fields: string;
  readonly warnings: number;
  /** The process the task runs in, when the console watches several (docs/processes.md); undefined with one target. */
  readonly process?: string;
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
  /** The roles that can end this wait, as the engine says (receivers for a blocked send...). */
  readonly freedBy: readonly FreerRole[];
}

export interface TaskLink {
  readonly key: string;
  readonly label: string;
}

export interface TaskDetail {
  readonly row: TaskRow;
  readonly parent: TaskLink | undefined;
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
export interface ShownFreer {
  readonly task: TaskLink;
  /** The engine's words, e.g. "lock holder (mutex)", "known receiver (mpsc channel) ×2". */
  readonly role: string;
  /** The engine's role, to match against a wait's `freedBy`. */
  readonly freerRole: FreerRole;
  /** True when the set is closed (these tasks and nobody else); false when other code could free it too. */
  readonly certain: boolean;
  readonly inferred: boolean;
}

/**
 * What the freers screen lists for a wait. `matching` is false when no known
 * task plays a role that can end the wait (nobody is known to receive from a
 * full channel): then the tasks known to use the resource's other ends are
 * listed instead, so the developer can still follow the chain to them.
 */
export interface FreersShown {
  readonly list: readonly ShownFreer[];
  readonly matching: boolean;
}

/** The freers that can end a wait: the engine's roles for it (`WaitLine.freedBy`); all of them when no wait is given. */
export function freersShown(freers: readonly ShownFreer[], freedBy: readonly FreerRole[] | undefined): FreersShown {
  if (!freedBy) return { list: freers, matching: true };
  const list = freers.filter((f) => freedBy.includes(f.freerRole));
  return list.length > 0 || freers.length === 0 ? { list, matching: true } : { list: freers, matching: false };
}

/** The rows of the freers screen, in order (what ↑/↓ and Enter act on). */
export function freersFor(freers: readonly ShownFreer[], freedBy: readonly FreerRole[] | undefined): readonly ShownFreer[] {
  return freersShown(freers, freedBy).list;
}

export interface AsyncOpRow {
  readonly id: string;
  readonly task: TaskLink | undefined;
  readonly source: string;
  readonly totalNs: bigint;
  readonly busyNs: bigint;
  readonly polls: bigint;
  readonly attributes: string;
}

export interface ResourceDetail {
  readonly row: ResourceRow;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  readonly waiting: ReadonlyArray<{ readonly task: TaskLink; readonly reason: string }>;
  readonly freers: readonly ShownFreer[];
  /**
   * The target proved (by garbage collection) that no code able to run can
   * reach it: its known owners are the only tasks that could ever free it.
   */
  readonly unreachable?: boolean;
  /** Pending async ops only. */
  readonly asyncOps: readonly AsyncOpRow[];
  /** Async ops the store still holds that are no longer pending (not shown). */
  readonly finishedOps: number;
}

export interface ProblemTask {
  readonly task: TaskLink;
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly attributes: string;
  readonly waits: readonly WaitLine[];
}

export interface ShownProblem {
  /** The lint id, e.g. "deadlock-cycle". */
  readonly lint: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly explanation: string;
  /** Repository-relative docs page, e.g. docs/problems/deadlock-cycle.md. */
  readonly docsPage: string;
  readonly tasks: readonly ProblemTask[];
  /** For cycles: what the verdict rests on, in words (certain freers, a proof, or only known users). */
  readonly evidence?: string;
  /** Graph exports, for cycles. */
  readonly dot?: () => string;
  readonly mermaid?: () => string;
}

/** Everything the views ask of the runtime state. */
export interface RuntimeView {
  tasks(): readonly TaskRow[];
  task(key: string): TaskDetail | undefined;
  resources(): readonly ResourceRow[];
  resource(key: string): ResourceDetail | undefined;
  /** Confirmed problems, most severe first. */
  problems(): readonly ShownProblem[];
  dropped(): DroppedEvents;
}
