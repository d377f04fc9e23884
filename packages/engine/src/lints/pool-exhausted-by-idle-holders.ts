/**
 * A pool whose every connection is checked out by a task that has made no
 * progress for a while, while other tasks queue for one. Holders of a pool
 * unit are certain (adapters publish one `holder` per connection checked
 * out), so the claim is exact; it is the pool form of
 * permits-held-while-idle, and shares its counting.
 */
import type { DisplayId } from "../model.js";
import { capacityFacts, resourceText, unitWords } from "../relations/capacity.js";
import { define, formatNanos, locs, type Lint } from "./lint.js";
import { allUnitsHeld, stillFor, namedTaskList, toldElsewhere } from "./private/held-units.js";

/**
 * A pg `Client`'s one unit is held by the query it is running, so its holder
 * awaits the database on that very unit: not idle on something else.
 */
const POOL_TYPES: ReadonlySet<string> = new Set(["Pool"]);

export const poolExhaustedByIdleHolders: Lint = {
  definition: define(
    "pool-exhausted-by-idle-holders",
    "warning",
    "pools are exhausted by idle holders while requests queue",
    "Every connection of this pool is checked out by a task that has made no progress for a long while (30 s; a second when it waits for another connection from the same pool or for a timer), while other tasks wait for a connection. The connections are held across waits that have nothing to do with them (often a second acquire from the same pool, an HTTP call, or a lock). Release the connection before the unrelated await, acquire everything a request needs at once, give acquires a timeout, or make the pool larger than the number of connections one request can hold at a time.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    const told = toldElsewhere(store);
    return store.resources().flatMap((resource) => {
      if (!POOL_TYPES.has(resource.concreteType)) return [];
      const units = allUnitsHeld(store, resource, "holder", true);
      if (!units) return [];
      let idleFor: bigint | undefined;
      for (const freer of units.holders) {
        const still = told.has(freer.task) ? undefined : stillFor(store, now, freer);
        // A holder waiting for another connection from this same pool, or for a timer, is certainly not
        // using the one it holds: a second is enough. Any other wait may be a slow query on that very
        // connection, which looks the same from outside: only a stuck await (30 s) says it is not.
        const elsewhere = store.waitsOf(freer.task).some((w) => w.resource?.id === resource.id || w.resource?.kind === "Timer");
        if (still === undefined || still < (elsewhere ? thresholds.lockIdleNs : thresholds.stuckAwaitNs)) return [];
        idleFor = idleFor === undefined || still < idleFor ? still : idleFor;
      }
      const ids: DisplayId[] = units.holders.map((h) => h.task);
      const words = unitWords(resource);
      const plural = words?.plural ?? "units";
      const doing = ids.flatMap((id) => store.waitsOf(id).map((w) => `${id}: ${w.reason}`));
      const { timeoutMs } = capacityFacts(resource);
      const queued = units.queued.length;
      const tasks = [...new Set([...ids, ...units.queued])];
      return [
        {
          subject: `resource:${resource.id}`,
          message:
            `${resourceText(resource)}: ${units.held}/${units.capacity} ${plural} held by idle task${ids.length === 1 ? "" : "s"} ${namedTaskList(store, ids)}` +
            ` (no progress for at least ${formatNanos(idleFor ?? 0n)}${doing.length > 0 ? `; ${doing.join("; ")}` : ""});` +
            ` ${queued} task${queued === 1 ? "" : "s"} waiting for a ${words?.unit ?? "unit"}.` +
            (timeoutMs !== undefined ? ` These waits will fail after ${timeoutMs} ms.` : ""),
          tasks,
          resources: [resource.id],
          locations: locs(resource.location, ...ids.flatMap((id) => store.waitsOf(id).map((w) => w.awaitLocation))),
        },
      ];
    });
  },
};
