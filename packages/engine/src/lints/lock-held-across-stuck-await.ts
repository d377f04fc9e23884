/**
 * A lock (the project's Mutex or RwLock, an async-mutex Mutex, a tokio
 * lock) held by a task whose current await is stuck, while others queue for
 * the lock: everyone behind it waits on an await that is not settling.
 * "Stuck" is stronger than lock-held-while-idle's idle: the holder is proven
 * never to be woken (the GC proof; the holder itself is then a never-woken
 * error, and this names the lock and the tasks queued on it), or it has
 * been in the same waits for `stuckAwaitNs` (30 s) without a poll. From
 * then on this lint tells the lock instead of lock-held-while-idle.
 */
import { capacityFacts, resourceText } from "../relations/capacity.js";
import { define, formatNanos, locs, taskText, type Lint } from "./lint.js";
import { explainedByCycles, lockHolders, stuckHolder } from "./private/held-units.js";

export const lockHeldAcrossStuckAwait: Lint = {
  definition: define(
    "lock-held-across-stuck-await",
    "warning",
    "locks are held across an await that is not settling",
    "The task holding this lock is blocked in an await that has not settled for a long time, or that the target proved can never settle, and it keeps the lock meanwhile. Every task queued for the lock waits on that await too. Do not await work that can hang while holding a lock: release it first, or bound the await with a timeout (an AbortSignal, async-mutex's withTimeout).",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    const skip = explainedByCycles(store);
    return store.resources().flatMap((resource) =>
      lockHolders(store, resource.id).flatMap((freer) => {
        if (skip.has(freer.task)) return [];
        const waiters = [
          ...new Set(
            store
              .waitersOf(resource.id)
              .filter((w) => w.task !== freer.task)
              .map((w) => w.task),
          ),
        ];
        if (waiters.length === 0) return [];
        const stuck = stuckHolder(store, now, freer, thresholds.stuckAwaitNs);
        if (!stuck) return [];
        const holder = taskText(store.task(freer.task), freer.task);
        const what = stuck.waits.map((w) => w.reason + (w.awaitLocation ? ` at ${w.awaitLocation}` : ""));
        const across =
          what.length > 0
            ? `an await that ${stuck.proven ? "can never settle" : `has not settled for ${formatNanos(stuck.forNs)}`} (${what.join("; ")})`
            : "an await that can never settle";
        const { timeoutMs } = capacityFacts(resource);
        const proof = stuck.proven ? " (proven: nothing that can still run can wake it)" : "";
        return [
          {
            subject: `resource:${resource.id}:task:${freer.task}`,
            message:
              `${resourceText(resource)} is held by task ${holder} across ${across}${proof};` +
              ` ${waiters.length} task${waiters.length === 1 ? " is" : "s are"} queued for it: ${waiters.map((id) => taskText(store.task(id), id)).join(", ")}.` +
              (timeoutMs !== undefined ? ` Their waits will fail after ${timeoutMs} ms.` : ""),
            tasks: [freer.task, ...waiters],
            resources: [resource.id],
            locations: locs(resource.location, ...stuck.waits.map((w) => w.awaitLocation)),
          },
        ];
      }),
    );
  },
};
