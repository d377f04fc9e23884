/**
 * A semaphore (pool, limiter) whose permits are all held by tasks that sit
 * idle while other tasks queue for permits: the work behind the limiter is
 * stalled by waits unrelated to it. The permit holders are a certain set (a
 * permit belongs to the task that acquired it), so the claim is exact.
 */
import type { DisplayId } from "../model.js";
import { define, formatNanos, locs, type Lint } from "./lint.js";
import { allUnitsHeld, stillFor, namedTaskList, toldElsewhere } from "./private/held-units.js";

export const permitsHeldWhileIdle: Lint = {
  definition: define(
    "permits-held-while-idle",
    "warning",
    "semaphore permits are all held by idle tasks while others queue",
    "Every permit of this semaphore is held by a task that is idle, waiting on something else, while other tasks wait for a permit. The limiter is full of work that is not moving. Release the permit before awaiting unrelated work, give the wait a timeout, or raise the number of permits.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    // Holders a stuck verdict already names (or that are downstream of one, or in a likely deadlock) are told there.
    const told = toldElsewhere(store);
    return store.resources().flatMap((resource) => {
      const units = allUnitsHeld(store, resource, "permit");
      if (!units) return [];
      const { holders, held, capacity, queued } = units;
      let idleFor: bigint | undefined;
      for (const freer of holders) {
        const still = told.has(freer.task) ? undefined : stillFor(store, now, freer);
        if (still === undefined || still < thresholds.lockIdleNs) return [];
        idleFor = idleFor === undefined || still < idleFor ? still : idleFor;
      }
      const ids: DisplayId[] = holders.map((h) => h.task);
      const names = namedTaskList(store, ids);
      const total = capacity !== undefined ? `all ${capacity}` : `${held}`;
      return [
        {
          subject: `resource:${resource.id}`,
          message:
            `Task${ids.length === 1 ? "" : "s"} ${names} hold${ids.length === 1 ? "s" : ""} ${total} permit${held === 1n && capacity === undefined ? "" : "s"} of ${resource.label}` +
            ` and ${ids.length === 1 ? "has" : "have all"} been idle for at least ${formatNanos(idleFor ?? 0n)}; ${queued.length} task${queued.length === 1 ? " is" : "s are"} waiting for permits.`,
          tasks: [...ids, ...queued],
          resources: [resource.id],
          locations: locs(resource.location, ...ids.flatMap((id) => store.waitsOf(id).map((w) => w.awaitLocation))),
        },
      ];
    });
  },
};
