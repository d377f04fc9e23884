/**
 * A mutex or rwlock whose holder is idle: the lock is held across an await
 * that has lasted a long time, and everyone else who needs it waits too.
 */
import { resourceText } from "../relations/capacity.js";
import { define, formatNanos, locs, taskText, type Lint } from "./lint.js";
import { lockHolders, stillFor, stuckHolder, toldElsewhere } from "./private/held-units.js";

export const lockHeldWhileIdle: Lint = {
  definition: define(
    "lock-held-while-idle",
    "warning",
    "locks are held by idle tasks (held across a long await)",
    "The task holding this lock is idle, waiting on something else, and keeps the lock meanwhile. Other tasks that need the lock are stuck behind an unrelated wait. Release the lock before awaiting, or shorten the critical section.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    // A holder a stuck verdict names (or downstream of one, or in a likely deadlock) is told there.
    const told = toldElsewhere(store);
    return store.resources().flatMap((resource) => {
      // Pools and limiters are told by their own lints; a holder stuck in its await by lock-held-across-stuck-await.
      return lockHolders(store, resource.id).flatMap((freer) => {
        if (told.has(freer.task) || stuckHolder(store, now, freer, thresholds.stuckAwaitNs)) return [];
        const idleFor = stillFor(store, now, freer);
        const holder = store.task(freer.task);
        if (!holder || idleFor === undefined || idleFor < thresholds.lockIdleNs) return [];
        // Holding a lock nobody asks for costs nothing; the problem is the tasks queued behind it.
        const waiters = store.waitersOf(resource.id).map((w) => w.task);
        if (waiters.length === 0) return [];
        const what = store.waitsOf(holder.id).map((w) => w.reason);
        return [
          {
            subject: `resource:${resource.id}:task:${holder.id}`,
            message:
              `Task ${taskText(holder, holder.id)} has held ${resourceText(resource)} for ${formatNanos(idleFor)} while idle` +
              (what.length > 0 ? ` (${what.join("; ")})` : "") +
              `; ${waiters.length} task${waiters.length === 1 ? " is" : "s are"} waiting for it.`,
            tasks: [holder.id, ...waiters],
            resources: [resource.id],
            locations: locs(resource.location, ...store.waitsOf(holder.id).map((w) => w.awaitLocation)),
          },
        ];
      });
    });
  },
};
