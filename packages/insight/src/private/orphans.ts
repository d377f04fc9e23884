/**
 * Orphaned work stays visible (issue 14 item 3). A request's task used to end
 * when its response closed. When the client gives up while the handler still
 * waits, the handler's work is still pending: it holds pool connections and
 * locks, and its next step still runs. So a request task whose response closes
 * while it has a pending wait (an insight primitive, a join, or an await the
 * await tracker saw) stays live, marked client gone: its pending waits say
 * "client gone, handler still waiting at X" and carry
 * `insight.client_gone=true`. It ends when its work ends: once no wait is
 * pending after the handler's continuation has run (checked on a later
 * macrotask, so an await that follows the settled one is seen first), or
 * when the GC proof shows nothing of it can run any more.
 */
import { resolveSite, type Site } from "./callsite.js";
import { shortLocation } from "./await-frames.js";
import { guarded } from "./debug.js";
import type { LiveTask } from "./records.js";
import type { Runtime } from "./runtime.js";
import { taskStorage } from "./task-context.js";

export function clientGoneReason(site: Site | undefined, reason: string): string {
  const location = resolveSite(site);
  return `client gone, handler still waiting${location ? ` at ${shortLocation(location)}` : ""}: ${reason}`;
}

/** The response of request `task` closed. */
export function responseClosed(rt: Runtime, task: LiveTask): void {
  if (task.droppedAt >= 0) return;
  if (task.pendingOps <= 0 && task.pendingAwaits <= 0) {
    rt.completeTask(task);
    return;
  }
  task.clientGone = true;
  rt.onOrphanProgress ??= (t) => orphanProgress(rt, t);
  for (const op of rt.ops.values()) {
    if (op.task !== task || op.droppedAt >= 0) continue;
    op.reason = clientGoneReason(op.site, op.reason);
    op.extra = { ...op.extra, "insight.client_gone": true };
    rt.markOp(op);
  }
  rt.markTask(task);
}

/** A wait of an orphaned request ended, or the GC proof proved it stuck: end it if its work is over. */
export function orphanProgress(rt: Runtime, task: LiveTask): void {
  if (!task.clientGone || task.droppedAt >= 0) return;
  if (task.proven) {
    finish(rt, task);
    return;
  }
  if (task.pendingOps > 0 || task.pendingAwaits > 0) return;
  // The handler's continuation runs after the wait ended; whatever it awaits next is noted by then.
  taskStorage.exit(() =>
    setImmediate(() =>
      guarded(
        "ending an orphaned request",
        () => {
          if (task.clientGone && task.droppedAt < 0 && task.pendingOps <= 0 && task.pendingAwaits <= 0) finish(rt, task);
        },
        undefined,
      ),
    ),
  );
}

function finish(rt: Runtime, task: LiveTask): void {
  task.clientGone = false;
  for (const op of rt.ops.values()) if (op.task === task && op.droppedAt < 0) rt.completeOp(op, undefined);
  task.clientGone = true;
  rt.completeTask(task);
}
