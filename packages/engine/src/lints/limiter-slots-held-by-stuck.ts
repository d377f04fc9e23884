/**
 * A limiter (p-limit, p-queue) whose every slot runs a task that is stuck
 * on something else, while more work queues: the limiter is full of calls
 * that are not finishing. "Stuck" is stronger than idle: proven never to be
 * woken, or blocked in the same waits for `stuckAwaitNs` (30 s) without a
 * poll, so a limiter full of slow but moving I/O stays quiet. Semaphores
 * (their permits can be handed on) are told by permits-held-while-idle.
 */
import type { DisplayId } from "../model.js";
import { resourceText, unitWords } from "../relations/capacity.js";
import { define, formatNanos, locs, type Lint } from "./lint.js";
import { allUnitsHeld, explainedByCycles, stuckHolder, namedTaskList } from "./private/held-units.js";

const LIMITER_TYPES: ReadonlySet<string> = new Set(["Limiter", "PQueue"]);

export const limiterSlotsHeldByStuck: Lint = {
  definition: define(
    "limiter-slots-held-by-stuck",
    "warning",
    "limiters have every slot held by tasks stuck elsewhere",
    "Every slot of this concurrency limiter runs a task that has been blocked on something other than the limiter for a long time (or is proven never to be woken), while more work queues behind them. Nothing queued can start until one of those calls finishes. Give the calls inside the limiter a timeout (an AbortSignal, p-queue's timeout), find out why the awaited thing does not settle, or do not await unrelated work while holding a slot.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    const told = explainedByCycles(store);
    return store.resources().flatMap((resource) => {
      if (!LIMITER_TYPES.has(resource.concreteType)) return [];
      const units = allUnitsHeld(store, resource, "holder");
      if (!units) return [];
      let stuckFor: bigint | undefined;
      let proven = 0;
      const doing: string[] = [];
      for (const freer of units.holders) {
        const stuck = told.has(freer.task) ? undefined : stuckHolder(store, now, freer, thresholds.stuckAwaitNs, resource.id);
        if (!stuck) return [];
        if (stuck.proven) proven++;
        else stuckFor = stuckFor === undefined || stuck.forNs < stuckFor ? stuck.forNs : stuckFor;
        for (const wait of stuck.waits) doing.push(`${freer.task}: ${wait.reason}`);
      }
      const ids: DisplayId[] = units.holders.map((h) => h.task);
      const plural = unitWords(resource)?.plural ?? "slots";
      const how =
        proven === ids.length
          ? "proven never to be woken"
          : `blocked elsewhere for at least ${formatNanos(stuckFor ?? 0n)}${proven > 0 ? ` (${proven} proven never to be woken)` : ""}`;
      const queued = units.queued.length;
      return [
        {
          subject: `resource:${resource.id}`,
          message:
            `${resourceText(resource)}: ${units.held}/${units.capacity} ${plural} held by task${ids.length === 1 ? "" : "s"} ${namedTaskList(store, ids)}, ${how}` +
            `${doing.length > 0 ? ` (${doing.join("; ")})` : ""}; ${queued} task${queued === 1 ? "" : "s"} queued behind them.`,
          tasks: [...ids, ...units.queued],
          resources: [resource.id],
          locations: locs(resource.location, ...ids.flatMap((id) => store.waitsOf(id).map((w) => w.awaitLocation))),
        },
      ];
    });
  },
};
