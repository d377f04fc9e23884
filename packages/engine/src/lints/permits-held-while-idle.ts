/**
 * A semaphore (pool, limiter) whose permits are all held by tasks that sit
 * idle while other tasks queue for permits: the work behind the limiter is
 * stalled by waits unrelated to it. The permit holders are a certain set (a
 * permit belongs to the task that acquired it), so the claim is exact.
 */
import type { DisplayId, Freer } from "../model.js";
import { define, formatNanos, locs, taskText, type Lint } from "./lint.js";

export const permitsHeldWhileIdle: Lint = {
  definition: define(
    "permits-held-while-idle",
    "warning",
    "semaphore permits are all held by idle tasks while others queue",
    "Every permit of this semaphore is held by a task that is idle, waiting on something else, while other tasks wait for a permit. The limiter is full of work that is not moving. Release the permit before awaiting unrelated work, give the wait a timeout, or raise the number of permits.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    // Holders a stuck verdict already names (or that are downstream of one) are told there.
    const { named, downstream } = store.verdicts();
    // ...and a holder in a likely deadlock is told by likely-deadlock.
    const inLikely = new Set(store.likelyCycles().flatMap((c) => c.tasks.map((t) => t.id)));
    return store.resources().flatMap((resource) => {
      if (resource.dropped) return [];
      const holders = store.freersOf(resource.id).filter((f): f is Freer => f.role === "permit");
      if (holders.length === 0) return [];
      const waiters = store.waitersOf(resource.id).filter((w) => w.direction === "acquire" && !holders.some((h) => h.task === w.task));
      if (waiters.length === 0) return [];
      const held = holders.reduce((n, h) => n + BigInt(h.count), 0n);
      // When the total is known, the idle holders must account for all of it (leaked permits count as held).
      const capacity = resource.capacity;
      if (capacity !== undefined && held + resource.leaked < capacity) return [];
      let idleFor: bigint | undefined;
      for (const freer of holders) {
        const holder = store.task(freer.task);
        if (!holder || holder.state !== "idle" || named.has(holder.id) || downstream.has(holder.id) || inLikely.has(holder.id)) return [];
        const since = [holder.lastPollEnded, freer.since].reduce<bigint>((a, b) => (b !== undefined && b > a ? b : a), 0n);
        if (since === 0n || now - since < thresholds.lockIdleNs) return [];
        idleFor = idleFor === undefined || now - since < idleFor ? now - since : idleFor;
      }
      const ids: DisplayId[] = holders.map((h) => h.task);
      const names = ids.map((id) => taskText(store.task(id), id)).join(", ");
      const queued = [...new Set(waiters.map((w) => w.task))];
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
