/**
 * Waits that certainly can never complete, from the resource's own state
 * rather than from who used it: the resource is gone, its only guard was
 * garbage-collected unreleased, its permits leaked below the request (and no
 * live code can add more), or it
 * is unreachable and everyone who could still free it has finished. A lock
 * whose holder finished is NOT enough: the guard may still be released from
 * another code path.
 */
import type { Wait } from "../model.js";
import { capacityFacts } from "../relations/capacity.js";
import { rolesThatFree } from "../relations/owners.js";
import { freersOf, type EntityIndex } from "../relations/waits.js";

/**
 * Why the wait can never complete, or undefined when it still might. Only
 * facts that held at two updates count: the op was already there at an
 * earlier update and the resource has not changed in the latest one.
 */
export function doomOf(index: EntityIndex, wait: Wait, updates: number): string | undefined {
  const resource = wait.resource ? index.resourceEntity(wait.resource.id) : undefined;
  if (!resource || resource.kind === "Timer") return undefined;
  // A wait with a timeout ends by itself (with an error): it is not one that can never complete.
  if (capacityFacts(resource).timeoutMs !== undefined) return undefined;
  const op = index.asyncOpEntity(wait.asyncOp.id);
  if (!op || op.firstUpdate >= updates || resource.changedAt >= updates) return undefined;
  const label = resource.label;
  if (resource.dropped) return `${label} was dropped while the wait was pending`;
  const acquire = wait.direction === "acquire";
  const leaked = resource.leaked;
  if (acquire && resource.concreteType === "Mutex" && resource.attrs.get("locked")?.value === true && leaked >= 1n) {
    return `${label} is locked and its guard was garbage-collected without being released`;
  }
  if (acquire && resource.concreteType === "RwLock" && leaked >= 1n) {
    const reading = /::read/.test(op.source);
    // Any leaked guard blocks a writer forever; a reader only if the leaked guard is the writer's.
    const writerHeld = resource.attrs.get("write_locked")?.value === true && !freersOf(resource).some((f) => f.role === "holder");
    if (!reading || writerHeld) return `${label} has ${leaked} guard${leaked === 1n ? "" : "s"} garbage-collected without being released`;
  }
  // Any code that reaches a semaphore may add permits (a token bucket's refill): leaked permits
  // doom a request only once nothing that can still run can reach it.
  if (acquire && resource.concreteType === "Semaphore" && resource.unreachable && resource.capacity !== undefined && leaked >= 1n) {
    const requested = op.requested ?? 1n;
    const usable = resource.capacity > leaked ? resource.capacity - leaked : 0n;
    if (usable < requested) {
      return `${label} has ${resource.capacity} permits, ${leaked} leaked (garbage-collected unreleased), so a request for ${requested} can never be met`;
    }
  }
  if (resource.unreachable) {
    const roles = rolesThatFree(wait.direction, op.source);
    const live = freersOf(resource).filter((f) => {
      if (!roles.has(f.role)) return false;
      const task = index.taskEntity(f.task);
      return task !== undefined && !task.completed;
    });
    if (live.length === 0) return `${label} is unreachable and no task that could free it is left`;
  }
  return undefined;
}
