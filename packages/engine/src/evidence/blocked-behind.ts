/**
 * Tasks held up only by a certain deadlock: every wait of theirs can be
 * ended only by tasks of the cycle (or by tasks already held up by it). A
 * third request queued on a deadlocked pool is the usual one. They are
 * downstream: named with the cycle, never a problem of their own.
 */
import type { DeadlockCycle, DisplayId } from "../model.js";
import { wayOut } from "../relations/capacity.js";
import { rolesThatFree } from "../relations/owners.js";
import { freersOf, waitsOf, type EntityIndex } from "../relations/waits.js";
import type { TaskEntity } from "../entities/task-entity.js";

export function blockedBehind(
  index: EntityIndex,
  cycles: readonly DeadlockCycle[],
  waiting: readonly TaskEntity[],
  skip: ReadonlySet<DisplayId>,
): Map<string, DisplayId[]> {
  const cycleOf = new Map<DisplayId, string>();
  for (const cycle of cycles) for (const t of cycle.tasks) cycleOf.set(t.id, cycle.id);
  const out = new Map<string, DisplayId[]>();
  if (cycleOf.size === 0) return out;
  // Each round may add tasks that wait only on tasks added before; a chain is at most as long as the waiters.
  for (let changed = true; changed; ) {
    changed = false;
    for (const task of waiting) {
      if (task.state !== "idle" || cycleOf.has(task.id) || skip.has(task.id)) continue;
      const cycle = heldBy(index, task, cycleOf);
      if (cycle === undefined) continue;
      cycleOf.set(task.id, cycle);
      const list = out.get(cycle) ?? [];
      list.push(task.id);
      out.set(cycle, list);
      changed = true;
    }
  }
  for (const list of out.values()) list.sort((a, b) => (a < b ? -1 : 1));
  return out;
}

/** The cycle every freer of every wait of the task belongs to, if all of them do. */
function heldBy(index: EntityIndex, task: TaskEntity, cycleOf: ReadonlyMap<DisplayId, string>): string | undefined {
  const waits = waitsOf(index, task);
  if (waits.length === 0) return undefined;
  let cycle: string | undefined;
  for (const wait of waits) {
    const resource = wait.resource ? index.resourceEntity(wait.resource.id) : undefined;
    if (!resource) return undefined;
    const roles = rolesThatFree(wait.direction, wait.asyncOp.source);
    const all = freersOf(resource);
    const freers = all.filter((f) => roles.has(f.role));
    if (freers.length === 0 || wayOut(resource, all) !== undefined) return undefined;
    for (const freer of freers) {
      const of = cycleOf.get(freer.task);
      if (freer.certainty !== "certain" || of === undefined) return undefined;
      cycle ??= of;
    }
  }
  return cycle;
}
