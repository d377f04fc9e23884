/**
 * One concept shared by the capacity lints: every unit of a bounded
 * resource (a semaphore's permits, a pool's connections, a limiter's slots)
 * is held by tasks that are not moving, while other tasks queue for a unit.
 * permits-held-while-idle, pool-exhausted-by-idle-holders and
 * limiter-slots-held-by-stuck differ only in which resources they look at
 * and how still a holder must be; the counting lives here, once.
 */
import type { DisplayId, Freer, FreerRole, Nanos, ResourceRecord, Wait } from "../../model.js";
import { capacityFacts, isUnitResource } from "../../relations/capacity.js";
import type { RuntimeStore } from "../../store/store.js";
import { taskText } from "../lint.js";

/** Tasks a stronger verdict already tells about: named by a stuck verdict, downstream of one, or in a likely deadlock. */
export function toldElsewhere(store: RuntimeStore): ReadonlySet<DisplayId> {
  const { named, downstream } = store.verdicts();
  return new Set([...named, ...downstream, ...store.likelyCycles().flatMap((c) => c.tasks.map((t) => t.id))]);
}

/**
 * Tasks a cycle (certain or likely) or the downstream of one explains. A
 * never-woken holder is not among them: the stuck lints tell what its proven
 * state means for the lock or limiter it holds and the tasks queued there.
 */
export function explainedByCycles(store: RuntimeStore): ReadonlySet<DisplayId> {
  const { cycles, downstream } = store.verdicts();
  return new Set([...downstream, ...[...cycles, ...store.likelyCycles()].flatMap((c) => c.tasks.map((t) => t.id))]);
}

/** How long a holder has made no progress: since its last poll ended, or since it took the unit if later. */
export function stillFor(store: RuntimeStore, now: Nanos, freer: Freer): Nanos | undefined {
  const holder = store.task(freer.task);
  if (holder?.state !== "idle") return undefined;
  const since = [holder.lastPollEnded, freer.since].reduce<bigint>((a, b) => (b !== undefined && b > a ? b : a), 0n);
  return since === 0n ? undefined : now - since;
}

/**
 * Whether a holder is stuck, not merely idle: proven by the target (no
 * waker left), or blocked in waits that have all lasted `stuckNs` with no
 * progress meanwhile. `elsewhere` excludes a wait on the resource it holds.
 */
export function stuckHolder(
  store: RuntimeStore,
  now: Nanos,
  freer: Freer,
  stuckNs: Nanos,
  elsewhere?: DisplayId,
): { proven: boolean; waits: Wait[]; forNs: Nanos } | undefined {
  const still = stillFor(store, now, freer);
  if (still === undefined) return undefined;
  const waits = store.waitsOf(freer.task);
  if (elsewhere !== undefined && waits.some((w) => w.resource?.id === elsewhere)) return undefined;
  if (store.certainlyStuck(freer.task)) return { proven: true, waits, forNs: still };
  if (waits.length === 0 || still < stuckNs) return undefined;
  let forNs = still;
  for (const wait of waits) {
    if (wait.since === undefined || wait.since < stuckNs) return undefined;
    if (wait.since < forNs) forNs = wait.since;
  }
  return { proven: false, waits, forNs };
}

export interface HeldUnits {
  readonly holders: readonly Freer[];
  /** Units held by the holders (permits, connections, slots). */
  readonly held: bigint;
  readonly capacity: bigint | undefined;
  /** Distinct tasks queued for a unit (holders too, when asked for). */
  readonly queued: readonly DisplayId[];
}

/**
 * The holders of every unit of a resource, when others queue for one:
 * undefined when a unit is free, held by code outside any task, or nobody
 * queues. With the capacity known, the holders (and leaked units) must make
 * up all of it.
 */
export function allUnitsHeld(store: RuntimeStore, resource: ResourceRecord, role: FreerRole, holdersQueue = false): HeldUnits | undefined {
  if (resource.dropped) return undefined;
  const holders = store.freersOf(resource.id).filter((f) => f.role === role);
  if (holders.length === 0) return undefined;
  // A pool holder asking for a second connection queues like anyone else (`holdersQueue`).
  const asks = store.waitersOf(resource.id).filter((w) => w.direction === "acquire" && (holdersQueue || !holders.some((h) => h.task === w.task)));
  const queued = [...new Set(asks.map((w) => w.task))];
  if (queued.length === 0) return undefined;
  const held = holders.reduce((n, h) => n + BigInt(h.count), 0n);
  const { capacity, inUse } = capacityFacts(resource);
  if (capacity !== undefined && held + resource.leaked < capacity) return undefined;
  if (isUnitResource(resource) && (capacity === undefined || (inUse !== undefined && inUse < capacity))) return undefined;
  return { holders, held, capacity, queued };
}

/** `4 "a", 7 "b"`: tasks as lint messages name them. */
export function namedTaskList(store: RuntimeStore, ids: readonly DisplayId[]): string {
  return ids.map((id) => taskText(store.task(id), id)).join(", ");
}

/** The freers of a lock that hold it (a guard), for locks only: pools and limiters have their own lints. */
export function lockHolders(store: RuntimeStore, resourceId: bigint): Freer[] {
  const resource = store.resource(resourceId);
  if (!resource || resource.dropped || isUnitResource(resource)) return [];
  return store.freersOf(resourceId).filter((f) => f.role === "holder" || f.role === "reader");
}
