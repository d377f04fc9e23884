/**
 * Folds the pieces of one snapshot into rows for `consolation dump`. This is a
 * point-in-time view only: no history, no inference. Live analysis belongs to
 * @insight/engine.
 */
import {
  durationToNanos,
  fieldName,
  fieldValue,
  timestampToNanos,
  type Attribute,
  type Field,
  type Location,
  type Metadata,
  type Update,
} from "@insight/protocol";
import { shortenLocation } from "../format/location.js";

export interface DumpTask {
  readonly spanId: bigint;
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly state: "running" | "idle" | "completed";
  readonly polls: bigint;
  readonly busyNanos: bigint;
  readonly scheduledNanos: bigint;
  readonly totalNanos: bigint | undefined;
  readonly location: string;
  readonly fields: string;
}

export interface DumpResource {
  readonly id: bigint;
  readonly concreteType: string;
  readonly kind: string;
  readonly location: string;
  readonly attributes: string;
  readonly dropped: boolean;
}

export interface DumpAsyncOp {
  readonly id: bigint;
  readonly source: string;
  readonly resourceId: bigint;
  readonly taskSpanId: bigint | undefined;
  readonly taskName: string | undefined;
  readonly location: string;
  readonly attributes: string;
}

export interface DumpSnapshot {
  readonly nowNanos: bigint | undefined;
  readonly tasks: DumpTask[];
  readonly resources: DumpResource[];
  readonly asyncOps: DumpAsyncOp[];
  readonly droppedEvents: { tasks: bigint; resources: bigint; asyncOps: bigint };
}

const TASK_FIELDS_SHOWN_ELSEWHERE = new Set(["task.name", "task.id", "kind", "spawn.location", "loc.file", "loc.line", "loc.col"]);

export function formatLocation(location: Location | undefined): string {
  if (!location) return "";
  return shortenLocation(rawLocation(location));
}

function rawLocation(location: Location): string {
  const file = location.file ?? location.modulePath ?? "";
  if (!file) return "";
  const parts = [file];
  if (location.line !== undefined) parts.push(String(location.line));
  if (location.column !== undefined) parts.push(String(location.column));
  return parts.join(":");
}

function fieldText(field: Field, metadata: Metadata | undefined): [string, string] | undefined {
  const name = fieldName(field, metadata);
  const value = fieldValue(field);
  if (name === undefined || value === undefined) return undefined;
  return [name, String(value)];
}

function attributesText(attributes: readonly Attribute[], metadata: Metadata | undefined): string {
  return attributes
    .flatMap((a) => {
      const pair = a.field ? fieldText(a.field, metadata) : undefined;
      return pair ? [`${pair[0]}=${pair[1]}${a.unit ?? ""}`] : [];
    })
    .join(" ");
}

function resourceKindName(kind: { case: "known"; value: number } | { case: "other"; value: string } | { case: undefined; value?: undefined } | undefined): string {
  if (kind?.case === "known") return kind.value === 0 ? "Timer" : `Known(${kind.value})`;
  if (kind?.case === "other") return kind.value;
  return "";
}

export function foldSnapshot(pieces: readonly Update[]): DumpSnapshot {
  const metadata = new Map<bigint, Metadata>();
  for (const piece of pieces) {
    for (const m of piece.newMetadata?.metadata ?? []) {
      if (m.id && m.metadata) metadata.set(m.id.id, m.metadata);
    }
  }
  const metaOf = (id: { id: bigint } | undefined) => (id ? metadata.get(id.id) : undefined);
  const nowNanos = timestampToNanos(pieces.findLast((p) => p.now !== undefined)?.now);
  const dropped = { tasks: 0n, resources: 0n, asyncOps: 0n };

  const tasks: DumpTask[] = [];
  const taskNames = new Map<bigint, string>();
  for (const piece of pieces) {
    const update = piece.taskUpdate;
    if (!update) continue;
    dropped.tasks += update.droppedEvents;
    for (const task of update.newTasks) {
      if (!task.id) continue;
      const meta = metaOf(task.metadata);
      const fields = task.fields.map((f) => fieldText(f, meta)).filter((p): p is [string, string] => p !== undefined);
      const byName = new Map(fields);
      const stats = pieces.map((p) => p.taskUpdate?.statsUpdate[task.id!.id.toString()]).findLast((s) => s !== undefined);
      const created = timestampToNanos(stats?.createdAt);
      const droppedAt = timestampToNanos(stats?.droppedAt);
      const end = droppedAt ?? nowNanos;
      const poll = stats?.pollStats;
      const running = poll?.lastPollStarted !== undefined && poll.lastPollEnded === undefined;
      const name = byName.get("task.name") ?? "";
      taskNames.set(task.id.id, name || `task ${byName.get("task.id") ?? task.id.id}`);
      tasks.push({
        spanId: task.id.id,
        id: byName.get("task.id") ?? String(task.id.id),
        name,
        kind: byName.get("kind") ?? "task",
        state: droppedAt !== undefined ? "completed" : running ? "running" : "idle",
        polls: poll?.polls ?? 0n,
        busyNanos: durationToNanos(poll?.busyTime),
        scheduledNanos: durationToNanos(stats?.scheduledTime),
        totalNanos: created !== undefined && end !== undefined ? end - created : undefined,
        location: formatLocation(task.location) || formatLocation(meta?.location),
        fields: fields
          .filter(([k]) => !TASK_FIELDS_SHOWN_ELSEWHERE.has(k))
          .map(([k, v]) => `${k}=${v}`)
          .join(" "),
      });
    }
  }

  const resources: DumpResource[] = [];
  for (const piece of pieces) {
    const update = piece.resourceUpdate;
    if (!update) continue;
    dropped.resources += update.droppedEvents;
    for (const resource of update.newResources) {
      if (!resource.id) continue;
      const meta = metaOf(resource.metadata);
      const stats = pieces.map((p) => p.resourceUpdate?.statsUpdate[resource.id!.id.toString()]).findLast((s) => s !== undefined);
      resources.push({
        id: resource.id.id,
        concreteType: resource.concreteType,
        kind: resourceKindName(resource.kind?.kind),
        location: formatLocation(resource.location) || formatLocation(meta?.location),
        attributes: attributesText(stats?.attributes ?? [], meta),
        dropped: stats?.droppedAt !== undefined,
      });
    }
  }

  const asyncOps: DumpAsyncOp[] = [];
  for (const piece of pieces) {
    const update = piece.asyncOpUpdate;
    if (!update) continue;
    dropped.asyncOps += update.droppedEvents;
    for (const op of update.newAsyncOps) {
      if (!op.id) continue;
      const meta = metaOf(op.metadata);
      const stats = pieces.map((p) => p.asyncOpUpdate?.statsUpdate[op.id!.id.toString()]).findLast((s) => s !== undefined);
      const taskSpanId = stats?.taskId?.id;
      asyncOps.push({
        id: op.id.id,
        source: op.source,
        resourceId: op.resourceId?.id ?? 0n,
        taskSpanId,
        taskName: taskSpanId === undefined ? undefined : taskNames.get(taskSpanId),
        location: formatLocation(meta?.location),
        attributes: attributesText(stats?.attributes ?? [], meta),
      });
    }
  }

  const ascending = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  return {
    nowNanos,
    tasks: lastById(tasks, (t) => t.spanId).sort((a, b) => ascending(a.spanId, b.spanId)),
    resources: lastById(resources, (r) => r.id).sort((a, b) => ascending(a.id, b.id)),
    asyncOps: lastById(asyncOps, (o) => o.id).sort((a, b) => ascending(a.id, b.id)),
    droppedEvents: dropped,
  };
}

/** A sequence of updates (a replay) can announce an entity again, e.g. after a reconnect: keep its last form. */
function lastById<T>(items: readonly T[], id: (item: T) => bigint): T[] {
  return [...new Map(items.map((item) => [id(item), item])).values()];
}

/**
 * Completed tasks and dropped resources linger for the target's retention
 * period (6 s on tokio). They crowd out what is alive, so dump hides them
 * unless asked, and says how many it hid.
 */
export function withoutFinished(snapshot: DumpSnapshot): DumpSnapshot & { hidden: number } {
  const tasks = snapshot.tasks.filter((t) => t.state !== "completed");
  const resources = snapshot.resources.filter((r) => !r.dropped);
  const live = new Set(resources.map((r) => r.id));
  const asyncOps = snapshot.asyncOps.filter((o) => live.has(o.resourceId));
  const hidden =
    snapshot.tasks.length - tasks.length + snapshot.resources.length - resources.length + snapshot.asyncOps.length - asyncOps.length;
  return { ...snapshot, tasks, resources, asyncOps, hidden };
}
