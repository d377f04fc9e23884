/**
 * Rows for `consolation dump` (and `replay --report`): the pieces of one
 * snapshot, or a replayed sequence of updates, fed to @async-insight/engine's
 * store and read back. The engine decides every fact shown (ids, task
 * state, whether an op is still pending), so dump never disagrees with the
 * consoles or `check`.
 *
 * One id space for people: a task is its `task.id` (what tokio-console
 * shows), a resource and an async op their engine display ids, and every
 * column that names a task names it by `task.id`. Span ids, which are
 * reused and mean nothing to a reader, appear only in `--json`, as `spanId`.
 */
import {
  RuntimeStore,
  taskActivity,
  type AsyncOpRecord,
  type AttributeEntry,
  type FieldEntry,
  type ResourceRecord,
  type TaskActivity,
  type TaskRecord,
} from "@async-insight/engine";
import type { FieldValue, Update } from "@async-insight/protocol";
import { shortenLocation } from "../format/location.js";

/**
 * A field or attribute value as JSON keeps it: text, a boolean, or an
 * integer (a JSON number while exact, else a decimal string), with the unit
 * the target attached (`ms`, `permits`) when it did.
 */
export interface DumpValue {
  readonly value: string | number | boolean;
  readonly unit?: string;
}

/** Name → value; names are unique per entity on the wire, and a name never has to be parsed out of text. */
export type DumpValues = Readonly<Record<string, DumpValue>>;

export interface DumpTask {
  /** `task.id` (tokio's and insight's), else the engine's display id. */
  readonly id: bigint;
  readonly spanId: bigint;
  readonly name: string;
  readonly kind: string;
  readonly state: TaskActivity;
  readonly polls: bigint;
  readonly busyNanos: bigint;
  readonly scheduledNanos: bigint;
  readonly totalNanos: bigint | undefined;
  readonly location: string;
  readonly fields: DumpValues;
}

export interface DumpResource {
  readonly id: bigint;
  readonly spanId: bigint;
  /** The public resource an internal one belongs to (tokio's batch semaphore under a Mutex). */
  readonly parentId: bigint | undefined;
  readonly concreteType: string;
  readonly kind: string;
  readonly name: string | undefined;
  readonly location: string;
  readonly attributes: DumpValues;
  readonly dropped: boolean;
}

export interface DumpAsyncOp {
  readonly id: bigint;
  readonly spanId: bigint;
  readonly source: string;
  readonly resourceId: bigint | undefined;
  /** The awaiting task's `task.id`. */
  readonly taskId: bigint | undefined;
  readonly taskName: string | undefined;
  /** Still waiting: not dropped, not completed by a wake, not last polled ready. */
  readonly pending: boolean;
  readonly location: string;
  readonly attributes: DumpValues;
}

export interface DumpSnapshot {
  readonly nowNanos: bigint | undefined;
  readonly tasks: DumpTask[];
  readonly resources: DumpResource[];
  readonly asyncOps: DumpAsyncOp[];
  readonly droppedEvents: { tasks: bigint; resources: bigint; asyncOps: bigint };
}

/** Fields the task row already shows in its own columns. */
const TASK_FIELDS_SHOWN_ELSEWHERE = new Set(["task.name", "task.id", "kind", "spawn.location", "loc.file", "loc.line", "loc.col"]);

export function jsonValue(value: FieldValue): string | number | boolean {
  if (typeof value !== "bigint") return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}

function valuesOf(entries: ReadonlyArray<FieldEntry | AttributeEntry>): DumpValues {
  const out: Record<string, DumpValue> = {};
  for (const entry of entries) {
    const unit = "unit" in entry ? entry.unit : undefined;
    // defineProperty, not assignment: a target may name an attribute `__proto__`.
    Object.defineProperty(out, entry.name, { value: unit ? { value: jsonValue(entry.value), unit } : { value: jsonValue(entry.value) }, enumerable: true });
  }
  return out;
}

const ascending = (x: { id: bigint }, y: { id: bigint }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

function taskRow(store: RuntimeStore, task: TaskRecord): DumpTask {
  return {
    id: task.id,
    spanId: task.spanId,
    name: task.name ?? "",
    kind: task.kind,
    state: taskActivity(store, task),
    polls: task.polls,
    busyNanos: task.times.busy,
    scheduledNanos: task.times.scheduled,
    totalNanos: task.createdAt !== undefined ? task.times.total : undefined,
    location: task.location ? shortenLocation(task.location) : "",
    fields: valuesOf(task.fields.filter((f) => !TASK_FIELDS_SHOWN_ELSEWHERE.has(f.name))),
  };
}

function resourceRow(resource: ResourceRecord): DumpResource {
  return {
    id: resource.id,
    spanId: resource.spanId,
    parentId: resource.parent,
    concreteType: resource.concreteType,
    kind: resource.kind,
    name: resource.name,
    location: resource.location ? shortenLocation(resource.location) : "",
    attributes: valuesOf(resource.attributes),
    dropped: resource.dropped,
  };
}

function opRow(store: RuntimeStore, op: AsyncOpRecord): DumpAsyncOp {
  const task = op.task !== undefined ? store.task(op.task) : undefined;
  return {
    id: op.id,
    spanId: op.spanId,
    source: op.source,
    resourceId: op.resource,
    taskId: op.task,
    taskName: task?.name,
    pending: op.pending,
    location: op.awaitLocation ? shortenLocation(op.awaitLocation) : "",
    attributes: valuesOf(op.attributes),
  };
}

/** Reads a store into dump rows, every entity it holds, in id order. */
export function snapshotOf(store: RuntimeStore): DumpSnapshot {
  return {
    nowNanos: store.now,
    tasks: store
      .tasks()
      .map((t) => taskRow(store, t))
      .sort(ascending),
    resources: store.resources().map(resourceRow).sort(ascending),
    asyncOps: store
      .asyncOps()
      .map((o) => opRow(store, o))
      .sort(ascending),
    droppedEvents: { ...store.droppedEvents },
  };
}

/**
 * The state after a sequence of updates: the pieces of one snapshot, or a
 * replay up to a position. Nothing is pruned: what the target still sent
 * (completed tasks in its retention window) is there to show with `--all`.
 */
export function foldSnapshot(pieces: readonly Update[]): DumpSnapshot {
  const store = new RuntimeStore({ retainForNs: null });
  for (const piece of pieces) store.applyUpdate(piece);
  return snapshotOf(store);
}

export interface HiddenCounts {
  readonly tasks: number;
  readonly resources: number;
  /** Ops that finished (completed or dropped), kept out unless asked. */
  readonly asyncOps: number;
}

export interface DumpFilter {
  /** Completed tasks and dropped resources, and the ops on those resources. */
  readonly finished: boolean;
  /** Async ops that are no longer pending. */
  readonly finishedOps: boolean;
}

/**
 * Completed tasks and dropped resources linger for the target's retention
 * period (6 s on tokio), and a busy program finishes thousands of waits
 * a second. Both crowd out what is stuck now, so dump shows only what is
 * live and pending unless asked, and says how much it left out.
 */
export function filterSnapshot(snapshot: DumpSnapshot, show: DumpFilter): DumpSnapshot & { hidden: HiddenCounts } {
  const tasks = show.finished ? snapshot.tasks : snapshot.tasks.filter((t) => t.state !== "done");
  const resources = show.finished ? snapshot.resources : snapshot.resources.filter((r) => !r.dropped);
  const live = new Set(resources.map((r) => r.id));
  const asyncOps = snapshot.asyncOps.filter((o) => (show.finished || o.resourceId === undefined || live.has(o.resourceId)) && (show.finishedOps || o.pending));
  return {
    ...snapshot,
    tasks,
    resources,
    asyncOps,
    hidden: {
      tasks: snapshot.tasks.length - tasks.length,
      resources: snapshot.resources.length - resources.length,
      asyncOps: snapshot.asyncOps.length - asyncOps.length,
    },
  };
}
