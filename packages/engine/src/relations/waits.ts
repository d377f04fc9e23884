/**
 * The relation queries: what a task waits on, who can free a resource, and
 * the task-to-task edges. Pure reads over the store's entity index.
 */
import type { DisplayId, Freer, Wait } from "../model.js";
import type { AsyncOpEntity } from "../entities/async-op-entity.js";
import type { ResourceEntity } from "../entities/resource-entity.js";
import type { TaskEntity } from "../entities/task-entity.js";
import { unitHoldersCertain } from "./capacity.js";
import { roleCertainty, roleLabel } from "./owners.js";
import { directionForSource } from "../entities/reasons.js";

export interface EntityIndex {
  readonly now: bigint | undefined;
  taskEntity(id: DisplayId): TaskEntity | undefined;
  resourceEntity(id: DisplayId): ResourceEntity | undefined;
  asyncOpEntity(id: DisplayId): AsyncOpEntity | undefined;
  /** Tasks this task spawned that the store still holds (from `Task.parents`). */
  childrenOf?(id: DisplayId): Iterable<DisplayId>;
}

/** Internal resources (tokio's batch semaphore) stand for their public parent. */
export function publicResource(index: EntityIndex, id: DisplayId | undefined): ResourceEntity | undefined {
  let resource = id === undefined ? undefined : index.resourceEntity(id);
  for (let depth = 0; resource && resource.visibility === "internal" && resource.parent !== undefined && depth < 8; depth++) {
    const parent = index.resourceEntity(resource.parent);
    if (!parent) break;
    resource = parent;
  }
  return resource;
}

/** The source that says what the wait is for: the outermost op (`Mutex::lock`, not its inner `Acquire::new`). */
export function outermostOp(index: EntityIndex, op: AsyncOpEntity): AsyncOpEntity {
  let current = op;
  for (let depth = 0; current.parent !== undefined && depth < 8; depth++) {
    const parent = index.asyncOpEntity(current.parent);
    if (!parent) break;
    current = parent;
  }
  return current;
}

export function waitsOf(index: EntityIndex, task: TaskEntity): Wait[] {
  if (!task.ops || task.ops.size === 0 || task.completed) return [];
  const waits: Wait[] = [];
  for (const opId of task.ops) {
    const op = index.asyncOpEntity(opId);
    if (!op?.pending) continue;
    // A child op (tokio's Acquire under Mutex::lock) is reported through its parent.
    if (op.parent !== undefined) {
      const parent = index.asyncOpEntity(op.parent);
      if (parent?.pending && parent.task === task.id) continue;
    }
    const resource = publicResource(index, op.resource);
    const now = index.now;
    waits.push({
      task: task.id,
      resource,
      asyncOp: op,
      reason: op.reason,
      direction: directionForSource(op.source),
      awaitLocation: op.awaitLocation,
      awaitLine: op.awaitLine,
      since: now !== undefined && op.createdAt !== undefined && now >= op.createdAt ? now - op.createdAt : undefined,
    });
  }
  return withoutInnerDuplicates(waits).sort((a, b) => (a.asyncOp.id < b.asyncOp.id ? -1 : 1));
}

/**
 * tokio's `Mutex::lock` waits through an `Acquire` on the mutex's internal
 * semaphore, and console-subscriber does not always link the two ops. Both
 * then land on the same public resource; the op made on the resource itself
 * says what the user wrote, so the inner one is dropped.
 */
function withoutInnerDuplicates(waits: Wait[]): Wait[] {
  if (waits.length < 2) return waits;
  const direct = new Set(waits.filter((w) => w.resource && w.asyncOp.resource === w.resource.id).map((w) => w.resource!.id));
  return waits.filter((w) => !w.resource || w.asyncOp.resource === w.resource.id || !direct.has(w.resource.id));
}

/**
 * Who can free (or uses) a resource: stated owners from `insight.owners`,
 * plus holders inferred from tokio poll ops when nothing was stated.
 */
export function freersOf(resource: ResourceEntity): Freer[] {
  const stated = resource.owners;
  const entries = stated ?? [];
  const inferred = stated === undefined && resource.inferred ? [...resource.inferred.values()] : [];
  const all = [...entries.map((e) => ({ e, inferred: false })), ...inferred.map((e) => ({ e, inferred: true }))];
  const sharing = new Map<string, number>();
  for (const { e } of all) sharing.set(e.role, (sharing.get(e.role) ?? 0) + 1);
  const unreachable = resource.unreachable;
  return all.map(({ e, inferred: isInferred }) => {
    // A pool's holders are a closed set only when its capacity says how many units there are.
    const unitsUnknown = e.role === "holder" && !unitHoldersCertain(resource);
    const certainty = unreachable ? "certain" : unitsUnknown ? "possible" : (e.certainty ?? roleCertainty(e.role, unreachable));
    return {
      task: e.task,
      role: e.role,
      certainty,
      label: roleLabel(e.role, resource.concreteType, sharing.get(e.role) ?? 1, e.count, certainty),
      inferred: isInferred,
      count: e.count,
      since: e.since,
    };
  });
}
