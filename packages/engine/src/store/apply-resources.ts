/**
 * Applying resources, async ops and poll ops. tokio lock holders are
 * inferred from acquire ops and lock states in relations/tokio-lock-*.ts.
 */
import { timestampToNanos, durationToNanos, type Metadata, type asyncOps, type resources } from "@async-insight/protocol";
import type { DisplayId, Nanos } from "../model.js";
import { parseOwners } from "../relations/owners.js";
import { settleTokioHolders, tokioAcquireChanged, tokioLockStateChanged } from "../relations/tokio-lock-tracking.js";
import { type LateParents, lateParentsOf } from "../relations/tokio-snapshot-order.js";
import type { EntityIndex } from "../relations/waits.js";
import { AsyncOpEntity } from "../entities/async-op-entity.js";
import { spanKeyOf, spanKeyOfText, type SpanKey } from "../private/span-key.js";
import type { StoreClock } from "../entities/clock.js";
import { resourceKind } from "../entities/entity-decode.js";
import { formatLocation } from "../entities/fields.js";
import { ResourceEntity } from "../entities/resource-entity.js";
import type { EndedKind } from "./retention.js";
import type { TaskEntity } from "../entities/task-entity.js";

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
  /** How many updates the store has applied (the current one included). */
  updateCount(): number;
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
  const parentKey = resource.parentResourceId ? spanKeyOf(resource.parentResourceId.id) : undefined;
  const parent = parentKey !== undefined ? host.resourcesBySpan.get(parentKey) : undefined;
  entity.parent = parent && parent !== entity ? parent.id : undefined;
  const late = lateParentsOf(lateResources, host);
  if (parentKey !== undefined && parentKey !== key && !parent) late.wait(entity, parentKey);
  late.arrived(key, entity.id);
}

// Children listed before their parents in one update (see tokio-snapshot-order.ts).
const lateResources = new WeakMap<object, LateParents<ResourceEntity>>();
const lateOps = new WeakMap<object, LateParents<AsyncOpEntity>>();

export function newAsyncOp(host: ApplyHost, op: asyncOps.AsyncOp): void {
  const spanId = op.id?.id;
  if (spanId === undefined) return;
  const key = spanKeyOf(spanId);
  let entity = host.opsBySpan.get(key);
  if (!entity || entity.droppedAt !== undefined || entity.source !== op.source) {
    entity = new AsyncOpEntity(host.nextOpId(), key);
    entity.firstUpdate = host.updateCount();
    host.ops.set(entity.id, entity);
    host.opsBySpan.set(key, entity);
  }
  const metadata = op.metadata ? host.metadata.get(op.metadata.id) : undefined;
  entity.source = op.source;
  entity.awaitLocation = formatLocation(metadata?.location);
  entity.resource = op.resourceId ? host.resourcesBySpan.get(spanKeyOf(op.resourceId.id))?.id : undefined;
  const parentKey = op.parentAsyncOpId ? spanKeyOf(op.parentAsyncOpId.id) : undefined;
  entity.parent = parentKey !== undefined ? host.opsBySpan.get(parentKey)?.id : undefined;
  const late = lateParentsOf(lateOps, host);
  if (parentKey !== undefined && parentKey !== key && entity.parent === undefined) late.wait(entity, parentKey);
  late.arrived(key, entity.id);
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
  tokioAcquireChanged(host, op);
}

export function applyPollOp(host: ApplyHost, pollOp: resources.PollOp): void {
  const op = pollOp.asyncOpId ? host.opsBySpan.get(spanKeyOf(pollOp.asyncOpId.id)) : undefined;
  const task = pollOp.taskId ? host.tasksBySpan.get(spanKeyOf(pollOp.taskId.id)) : undefined;
  if (op) {
    op.lastPollReady = pollOp.isReady;
    if (task) op.task = task.id;
    syncOp(host, op);
  }
  // A ready poll of a tokio acquire is a grant (tokio-lock-tracking.ts decides what it proves).
  if (op) tokioAcquireChanged(host, op);
}

export function applyResourceStats(host: ApplyHost, key: string, stats: resources.Stats): void {
  const resource = host.resourcesBySpan.get(spanKeyOfText(key));
  if (!resource) return;
  if (stats.createdAt) resource.createdAt = timestampToNanos(stats.createdAt);
  if (stats.droppedAt && resource.droppedAt === undefined) {
    resource.droppedAt = timestampToNanos(stats.droppedAt);
    resource.changedAt = host.updateCount();
    host.ended(resource.droppedAt!, "resource", resource.id);
    host.dirtyResource(resource);
  }
  const changed = resource.attrs.apply(stats.attributes, undefined);
  if (changed.length > 0) resource.changedAt = host.updateCount();
  if (changed.includes("insight.owners")) {
    const value = resource.attrs.get("insight.owners")?.value;
    resource.owners = parseOwners(typeof value === "string" ? value : "", resource.owners, host.clock.now);
    host.dirtyResource(resource);
  }
  if (changed.length > 0) tokioLockStateChanged(host, resource);
}

/** After an update's ops and resources: each tokio lock they touched gets its holders recomputed once. */
export function settleTokioLocks(host: ApplyHost): void {
  settleTokioHolders(host);
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
