/**
 * Keeps each tokio lock's inferred holders (`ResourceEntity.inferred`)
 * current as acquire ops and lock states arrive, snapshot or live. Targets
 * that state their owners (`insight.owners`, the Node library) are left alone.
 */
import type { DisplayId, Nanos } from "../model.js";
import type { AsyncOpEntity } from "../entities/async-op-entity.js";
import type { OwnerEntry, ResourceEntity } from "../entities/resource-entity.js";
import type { EntityIndex } from "./waits.js";
import { TokioLockEvidence, type TokioLockKind } from "./tokio-lock-evidence.js";
import { tokioHolders } from "./tokio-lock-holders.js";

export interface TrackingHost {
  readonly index: EntityIndex;
  readonly clock: { readonly now: Nanos | undefined };
  updateCount(): number;
  dirtyResource(resource: ResourceEntity): void;
}

const evidenceOf = new WeakMap<ResourceEntity, TokioLockEvidence>();
/** Locks the update being applied touched, per store (keyed by its host). */
const touched = new WeakMap<object, Set<ResourceEntity>>();

function touch(host: TrackingHost, lock: ResourceEntity): void {
  let set = touched.get(host);
  if (!set) touched.set(host, (set = new Set()));
  set.add(lock);
}

/** Recomputes the holders of every lock the update touched, once each, with all of its data applied. */
export function settleTokioHolders(host: TrackingHost): void {
  const set = touched.get(host);
  if (!set || set.size === 0) return;
  for (const lock of set) {
    const evidence = evidenceOf.get(lock);
    if (evidence) refresh(host, lock, evidence);
  }
  set.clear();
}

/** The public lock an acquire op works on: its resource is the lock's internal batch semaphore. */
function lockOfAcquire(index: EntityIndex, op: AsyncOpEntity): ResourceEntity | undefined {
  const semaphore = op.resource !== undefined ? index.resourceEntity(op.resource) : undefined;
  if (semaphore?.concreteType !== "Semaphore" || semaphore.visibility !== "internal" || semaphore.parent === undefined) return undefined;
  const lock = index.resourceEntity(semaphore.parent);
  return lock && lockKind(lock) ? lock : undefined;
}

function lockKind(resource: ResourceEntity): TokioLockKind | undefined {
  if (resource.visibility === "internal") return undefined;
  const type = resource.concreteType;
  return type === "Mutex" || type === "RwLock" || type === "Semaphore" ? type : undefined;
}

/** An async op's stats, or a poll op on it, arrived. */
export function tokioAcquireChanged(host: TrackingHost, op: AsyncOpEntity): void {
  const lock = lockOfAcquire(host.index, op);
  if (!lock || lock.owners !== undefined) return;
  const evidence = evidenceFor(lock);
  const outer = op.parent !== undefined ? host.index.asyncOpEntity(op.parent)?.source : undefined;
  const maxReaders = uint(lock, "max_readers");
  evidence.observeAcquire(op, outer, maxReaders, host.clock.now ?? op.createdAt ?? 0n, host.updateCount());
  touch(host, lock);
}

/** A lock's own attributes changed. */
export function tokioLockStateChanged(host: TrackingHost, lock: ResourceEntity): void {
  if (lock.owners !== undefined || !lockKind(lock)) return;
  const evidence = evidenceFor(lock);
  const update = host.updateCount();
  const now = host.clock.now ?? 0n;
  if (flag(lock, evidence.kind === "Mutex" ? "locked" : "write_locked") === false) evidence.exclusiveFree(update, now);
  if (evidence.kind === "RwLock" && uint(lock, "current_readers") === 0n) evidence.noReaders(update, now);
  touch(host, lock);
}

function evidenceFor(lock: ResourceEntity): TokioLockEvidence {
  let evidence = evidenceOf.get(lock);
  if (!evidence) evidenceOf.set(lock, (evidence = new TokioLockEvidence(lockKind(lock)!)));
  return evidence;
}

/** Recomputes the holders (each `since` is when its grant completed); dirty only on a change. */
function refresh(host: TrackingHost, lock: ResourceEntity, evidence: TokioLockEvidence): void {
  const state = { exclusive: flag(lock, evidence.kind === "Mutex" ? "locked" : "write_locked"), readers: uint(lock, "current_readers") };
  evidence.forgetEnded((id) => host.index.taskEntity(id)?.completed ?? true);
  const next = tokioHolders(evidence, state, (id) => host.index.taskEntity(id));
  const before = lock.inferred;
  if (next.length === 0 && (!before || before.size === 0)) return;
  const map = new Map<DisplayId, OwnerEntry>();
  for (const entry of next) {
    const old = before?.get(entry.task);
    const keep = old && old.role === entry.role && old.count === entry.count && old.certainty === entry.certainty && old.since === entry.since;
    map.set(entry.task, keep ? old : entry);
  }
  if (before && sameEntries(before, map)) return;
  lock.inferred = map;
  host.dirtyResource(lock);
}

function sameEntries(a: ReadonlyMap<DisplayId, OwnerEntry>, b: ReadonlyMap<DisplayId, OwnerEntry>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, entry] of a) if (b.get(id) !== entry) return false;
  return true;
}

function flag(resource: ResourceEntity, name: string): boolean | undefined {
  const value = resource.attrs.get(name)?.value;
  return typeof value === "boolean" ? value : undefined;
}

function uint(resource: ResourceEntity, name: string): bigint | undefined {
  const value = resource.attrs.get(name)?.value;
  return typeof value === "bigint" ? value : undefined;
}
