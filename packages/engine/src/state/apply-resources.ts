/**
 * Applying resources, async ops and poll ops, including the tokio inference
 * of lock holders: an acquire that became ready for task T makes T the
 * holder until the lock reports itself released.
 */
import { timestampToNanos, durationToNanos, type Metadata, type asyncOps, type resources } from "@insight/protocol";
import type { DisplayId, Nanos } from "../model.js";
import { parseOwners } from "../relations/owners.js";
import { outermostOp, type EntityIndex } from "../relations/waits.js";
import { AsyncOpEntity } from "./async-op-entity.js";
import { spanKeyOf, spanKeyOfText, type SpanKey } from "../private/span-key.js";
import type { StoreClock } from "./clock.js";
import { resourceKind } from "./entity-decode.js";
import { formatLocation } from "./fields.js";
import { ResourceEntity, type OwnerEntry } from "./resource-entity.js";
import type { EndedKind } from "./retention.js";
import type { TaskEntity } from "./task-entity.js";

/** What the appliers need from the store, without a dependency on it. */
export interface ApplyHost {
  readonly clock: StoreClock;
  readonly index: EntityIndex;
  readonly metadata: ReadonlyMap<bigint, Metadata>;
  readonly tasksBySpan: ReadonlyMap<SpanKey, TaskEntity>;
  readonly resourcesBySpan: Map<SpanKey, ResourceEntity>;
  readonly opsBySpan: Map<SpanKey, AsyncOpEntity>;
  readonly resources: Map<DisplayId, ResourceEntity>;
  readonly ops: Map<DisplayId, AsyncOpEntity>;
  dirtyTask(task: TaskEntity): void;
  dirtyResource(resource: ResourceEntity): void;
  ended(at: Nanos, kind: EndedKind, id: DisplayId): void;
  nextResourceId(): DisplayId;
  nextOpId(): DisplayId;
  wake(waker: DisplayId, task: TaskEntity, at: Nanos | undefined): void;
}

export function newResource(host: ApplyHost, resource: resources.Resource): void {
  const spanId = resource.id?.id;
  if (spanId === undefined) return;
  const key = spanKeyOf(spanId);
  const metadata = resource.metadata ? host.metadata.get(resource.metadata.id) : undefined;
  const location = formatLocation(resource.location) ?? formatLocation(metadata?.location);
  let entity = host.resourcesBySpan.get(key);
  // A resend of the same live resource (a reconnect's first update) keeps its display id.
  const same = entity && !entity.dropped && entity.concreteType === resource.concreteType && entity.location === location;
  if (!entity || !same) {
    entity = new ResourceEntity(host.nextResourceId(), key);
    host.resources.set(entity.id, entity);
    host.resourcesBySpan.set(key, entity);
  }
  entity.concreteType = resource.concreteType;
  entity.kind = resourceKind(resource);
  entity.location = location;
  entity.target = metadata?.target;
  entity.visibility = resource.isInternal ? "internal" : "public";
  const parent = resource.parentResourceId ? host.resourcesBySpan.get(spanKeyOf(resource.parentResourceId.id)) : undefined;
  entity.parent = parent && parent !== entity ? parent.id : undefined;
}

export function newAsyncOp(host: ApplyHost, op: asyncOps.AsyncOp): void {
  const spanId = op.id?.id;
  if (spanId === undefined) return;
  const key = spanKeyOf(spanId);
  let entity = host.opsBySpan.get(key);
  if (!entity || entity.droppedAt !== undefined || entity.source !== op.source) {
    entity = new AsyncOpEntity(host.nextOpId(), key);
    host.ops.set(entity.id, entity);
    host.opsBySpan.set(key, entity);
  }
  const metadata = op.metadata ? host.metadata.get(op.metadata.id) : undefined;
  entity.source = op.source;
  entity.awaitLocation = formatLocation(metadata?.location);
  entity.resource = op.resourceId ? host.resourcesBySpan.get(spanKeyOf(op.resourceId.id))?.id : undefined;
  entity.parent = op.parentAsyncOpId ? host.opsBySpan.get(spanKeyOf(op.parentAsyncOpId.id))?.id : undefined;
}

export function applyOpStats(host: ApplyHost, key: string, stats: asyncOps.Stats): void {
  const op = host.opsBySpan.get(spanKeyOfText(key));
  if (!op) return;
  if (stats.createdAt) op.createdAt = timestampToNanos(stats.createdAt);
  const wasDropped = op.droppedAt !== undefined;
  if (stats.droppedAt) op.droppedAt = timestampToNanos(stats.droppedAt);
  if (stats.pollStats) {
    op.polls = stats.pollStats.polls;
    op.busy = durationToNanos(stats.pollStats.busyTime);
  }
  if (stats.taskId) {
    const task = host.tasksBySpan.get(spanKeyOf(stats.taskId.id));
    if (task) op.task = task.id;
  }
  op.attrs.apply(stats.attributes, undefined);
  if (!wasDropped && op.droppedAt !== undefined) host.ended(op.droppedAt, "asyncOp", op.id);
  const waker = op.wokenBy;
  if (waker !== undefined && !op.wakeRecorded && op.task !== undefined) {
    op.wakeRecorded = true;
    const task = host.index.taskEntity(op.task);
    if (task) {
      // The wake's time comes from the data, never from when the update arrived.
      host.wake(waker, task, host.clock.abs(task.woken) ?? op.droppedAt);
      const floor = op.createdAt !== undefined ? host.clock.rel(op.createdAt) : -Infinity;
      task.timeline?.attributeWake(waker, floor);
    }
  }
  syncOp(host, op);
}

export function applyPollOp(host: ApplyHost, pollOp: resources.PollOp): void {
  const op = pollOp.asyncOpId ? host.opsBySpan.get(spanKeyOf(pollOp.asyncOpId.id)) : undefined;
  const task = pollOp.taskId ? host.tasksBySpan.get(spanKeyOf(pollOp.taskId.id)) : undefined;
  if (op) {
    op.lastPollReady = pollOp.isReady;
    if (task) op.task = task.id;
    syncOp(host, op);
  }
  if (!pollOp.isReady || !task) return;
  const start = pollOp.resourceId ? host.resourcesBySpan.get(spanKeyOf(pollOp.resourceId.id)) : op?.resource !== undefined ? host.resources.get(op.resource) : undefined;
  const lock = lockOf(host, start);
  if (!lock || lock.owners !== undefined) return; // the target stated owners: nothing to infer
  const source = op ? outermostOp(host.index, op).source : pollOp.name;
  const reading = lock.concreteType === "RwLock" && /::read/.test(source);
  const inferred = (lock.inferred ??= new Map<DisplayId, OwnerEntry>());
  const since = inferred.get(task.id)?.since ?? host.clock.now;
  if (!reading) inferred.clear();
  else for (const [id, e] of inferred) if (e.role === "holder") inferred.delete(id);
  inferred.set(task.id, { task: task.id, role: reading ? "reader" : "holder", count: 1, since });
  host.dirtyResource(lock);
}

/** The Mutex or RwLock a resource belongs to (tokio acquires through an internal semaphore). */
function lockOf(host: ApplyHost, resource: ResourceEntity | undefined): ResourceEntity | undefined {
  let current = resource;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current.concreteType === "Mutex" || current.concreteType === "RwLock") return current;
    current = current.parent !== undefined ? host.resources.get(current.parent) : undefined;
  }
  return undefined;
}

export function applyResourceStats(host: ApplyHost, key: string, stats: resources.Stats): void {
  const resource = host.resourcesBySpan.get(spanKeyOfText(key));
  if (!resource) return;
  if (stats.createdAt) resource.createdAt = timestampToNanos(stats.createdAt);
  if (stats.droppedAt && resource.droppedAt === undefined) {
    resource.droppedAt = timestampToNanos(stats.droppedAt);
    host.ended(resource.droppedAt!, "resource", resource.id);
    host.dirtyResource(resource);
  }
  const changed = resource.attrs.apply(stats.attributes, undefined);
  if (changed.includes("insight.owners")) {
    const value = resource.attrs.get("insight.owners")?.value;
    resource.owners = parseOwners(typeof value === "string" ? value : "", resource.owners, host.clock.now);
    host.dirtyResource(resource);
  }
  if (resource.inferred && resource.inferred.size > 0 && releaseInferred(resource)) host.dirtyResource(resource);
}

/** Ends inferred holds the lock's own state contradicts; returns whether any ended. */
function releaseInferred(lock: ResourceEntity): boolean {
  const inferred = lock.inferred!;
  const before = inferred.size;
  if (lock.concreteType === "Mutex") {
    if (lock.attrs.get("locked")?.value === false) inferred.clear();
  } else if (lock.concreteType === "RwLock") {
    const writeLocked = lock.attrs.get("write_locked")?.value;
    const readers = lock.attrs.get("current_readers")?.value;
    for (const [id, e] of inferred) {
      if (e.role === "holder" && writeLocked === false) inferred.delete(id);
      if (e.role === "reader" && readers === 0n) inferred.delete(id);
    }
  }
  return inferred.size !== before;
}

/** Keeps `task.ops` equal to the set of pending ops the task awaits. */
function syncOp(host: ApplyHost, op: AsyncOpEntity): void {
  const want = op.pending ? op.task : undefined;
  if (op.registeredTask !== want) {
    if (op.registeredTask !== undefined) {
      const old = host.index.taskEntity(op.registeredTask);
      if (old) {
        old.ops?.delete(op.id);
        host.dirtyTask(old);
      }
    }
    op.registeredTask = want;
  }
  if (want !== undefined) {
    const task = host.index.taskEntity(want);
    if (task) {
      (task.ops ??= new Set()).add(op.id);
      host.dirtyTask(task);
    }
  }
}
