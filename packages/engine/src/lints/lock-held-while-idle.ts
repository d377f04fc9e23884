/**
 * A mutex or rwlock whose holder is idle: the lock is held across an await
 * that has lasted a long time, and everyone else who needs it waits too.
 */
import { define, formatNanos, locs, taskText, type Lint } from "./lint.js";

export const lockHeldWhileIdle: Lint = {
  definition: define(
    "lock-held-while-idle",
    "warning",
    "locks are held by idle tasks (held across a long await)",
    "The task holding this lock is idle, waiting on something else, and keeps the lock meanwhile. Other tasks that need the lock are stuck behind an unrelated wait. Release the lock before awaiting, or shorten the critical section.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    // A holder a stuck verdict already names (or that is downstream of one) is told there.
    const { named, downstream } = store.verdicts();
    // ...and a holder in a likely deadlock is told by likely-deadlock.
    const inLikely = new Set(store.likelyCycles().flatMap((c) => c.tasks.map((t) => t.id)));
    return store.resources().flatMap((resource) => {
      if (resource.dropped) return [];
      return store.freersOf(resource.id).flatMap((freer) => {
        if (freer.role !== "holder" && freer.role !== "reader") return [];
        const holder = store.task(freer.task);
        if (!holder || holder.state !== "idle" || named.has(holder.id) || downstream.has(holder.id) || inLikely.has(holder.id)) return [];
        const idleSince = [holder.lastPollEnded, freer.since].reduce<bigint>((a, b) => (b !== undefined && b > a ? b : a), 0n);
        const idleFor = now - idleSince;
        if (idleSince === 0n || idleFor < thresholds.lockIdleNs) return [];
        // Holding a lock nobody asks for costs nothing; the problem is the tasks queued behind it.
        const waiters = store.waitersOf(resource.id).map((w) => w.task);
        if (waiters.length === 0) return [];
        const what = holder ? store.waitsOf(holder.id).map((w) => w.reason) : [];
        return [
          {
            subject: `resource:${resource.id}:task:${holder.id}`,
            message:
              `Task ${taskText(holder, holder.id)} has held ${resource.label} for ${formatNanos(idleFor)} while idle` +
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
