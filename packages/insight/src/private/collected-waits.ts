/**
 * What a primitive garbage-collected with waits still pending on it means,
 * decided after the GC proof has checked the tasks (gc-proof.ts).
 *
 * A wait by a task proven stuck stays pending, and the primitive is kept as
 * unreachable (`insight.unreachable`). A wait by a task that can still run
 * (or by no task) may have been abandoned: the task lost a `Promise.race`,
 * say, and moved on. That wait can never end, but nothing says the task is
 * stuck, so the wait ends here and the task is not blamed. A task not yet
 * watched weakly (younger than one publish interval) is judged at a later
 * check.
 *
 * A join handle is the exception: it is collected only when the spawned
 * task's own result can never settle (spawn's completion callback holds it),
 * so every wait on it is certainly endless, whoever waits.
 */
import type { LiveResource, LiveTask, OpRecord } from "./records.js";

/** The runtime's part this decision uses (runtime.ts calls it with itself). */
export interface WaitBook {
  readonly ops: ReadonlyMap<number, OpRecord>;
  completeOp(op: OpRecord, waker: LiveTask | undefined): void;
  dropResource(resource: LiveResource): void;
  markUnreachable(resource: LiveResource): void;
}

export function settleCollectedWaits(rt: WaitBook, resource: LiveResource): void {
  if (!resource.collected || resource.unreachable || resource.droppedAt >= 0) return;
  if (resource.concreteType === "JoinHandle") {
    rt.markUnreachable(resource);
    return;
  }
  let undecided = false;
  for (const op of rt.ops.values()) {
    if (op.resource !== resource || op.droppedAt >= 0) continue;
    const task = op.task;
    if (task?.proven) continue;
    if (task !== undefined && task.droppedAt < 0 && task.context === undefined) {
      undecided = true;
      continue;
    }
    rt.completeOp(op, undefined);
  }
  if (resource.pendingOps <= 0) rt.dropResource(resource);
  else if (!undecided) rt.markUnreachable(resource);
}
