/**
 * Who holds a tokio lock, from the evidence folded in tokio-lock-evidence.ts.
 * The same rules serve a console's first update (a lock taken long before
 * it attached) and the live updates after it. Ambiguous evidence names
 * nobody: a missing holder costs a missed deadlock, a wrong one a false alarm.
 */
import type { DisplayId, Nanos } from "../model.js";
import type { OwnerEntry } from "../entities/resource-entity.js";
import type { TaskEntity } from "../entities/task-entity.js";
import type { Grant, TokioLockEvidence } from "./tokio-lock-evidence.js";

/** The lock's published state, as the rules read it. */
export interface TokioLockState {
  /** Mutex `locked`, RwLock `write_locked`. */
  readonly exclusive: boolean | undefined;
  /** RwLock `current_readers`. */
  readonly readers: bigint | undefined;
}

export function tokioHolders(evidence: TokioLockEvidence, state: TokioLockState, task: (id: DisplayId) => TaskEntity | undefined): OwnerEntry[] {
  if (evidence.kind === "Semaphore") return permitHolders(evidence, task);
  const out: OwnerEntry[] = [];
  const writer = exclusiveHolder(evidence, state, task);
  if (writer) out.push({ task: writer.task!, role: "holder", count: 1, since: writer.at });
  if (evidence.kind === "RwLock") out.push(...readHolders(evidence, state, task));
  return out;
}

/**
 * The holder of a Mutex (or an RwLock's writer) is CERTAIN when:
 * - the lock says it is held (`locked` / `write_locked` is true);
 * - the latest exclusive grant came after the lock was last seen free, so
 *   no release is known since;
 * - no other acquire has been handed the lock and is about to run (the
 *   permit passes straight from the releasing guard to the next waiter);
 * - the grant was made by `lock()` / `write()` inside a task that still
 *   runs: a borrowed guard cannot leave the task that took it, and it is
 *   released only by that task (or when the task ends).
 * A lock has one permit set at a time and every acquire through those
 * methods leaves its op, so the latest grant is the hold that is current.
 * Not covered, named in docs/model.md: `try_lock()` leaves no op, so a lock
 * released and then re-taken with it would still be put on the last
 * `lock()` caller, unless an update showed it free in between. (Telling a
 * `try_lock()` hold from a grant whose op is late is not possible:
 * console-subscriber reads states live but lists new ops from an event
 * buffer it drains about 128 events per publish, so ops can trail states
 * by seconds after a burst.)
 */
function exclusiveHolder(evidence: TokioLockEvidence, state: TokioLockState, task: (id: DisplayId) => TaskEntity | undefined): Grant | undefined {
  const grant = evidence.latestExclusive;
  if (state.exclusive !== true || !grant) return undefined;
  if (evidence.releasedSince(grant)) return undefined;
  if (handingOver(evidence)) return undefined;
  return usable(grant, task) ? grant : undefined;
}

/**
 * Readers are CERTAIN only when they can be counted exactly: the read grants
 * since the latest write grant (readers before it had to leave for the
 * writer to get in) and since the lock last showed no readers, number
 * exactly `current_readers`. Each grant is then a read guard still alive.
 * More grants than readers means some left, and which ones is not said.
 */
function readHolders(evidence: TokioLockEvidence, state: TokioLockState, task: (id: DisplayId) => TaskEntity | undefined): OwnerEntry[] {
  const readers = state.readers;
  if (readers === undefined || readers === 0n || evidence.readsOverflow) return [];
  const reads = evidence.reads;
  if (BigInt(reads.length) !== readers || !reads.every((r) => usable(r, task))) return [];
  const byTask = new Map<DisplayId, { count: number; since: Nanos }>();
  for (const r of reads) {
    const entry = byTask.get(r.task!);
    if (entry) entry.count++;
    else byTask.set(r.task!, { count: 1, since: r.at });
  }
  return [...byTask].map(([id, e]) => ({ task: id, role: "reader" as const, count: e.count, since: e.since }));
}

/**
 * A Semaphore's permit holders are only POSSIBLE: tokio does not publish a
 * semaphore's total permits nor who released one, so the tasks that were
 * granted permits are a superset of those holding them now. The set is
 * still complete (every permit taken through `acquire*()` inside a task is
 * in it), which is what "nobody else can free it" reasoning needs, so it is
 * given only when nothing in it could have moved: no `*_owned` permit, no
 * permit taken outside a task. Tasks that ended released theirs with their
 * future; tasks waiting for more permits are the queue, not the holders.
 * Given only while some task queues, the one time who holds matters.
 */
function permitHolders(evidence: TokioLockEvidence, task: (id: DisplayId) => TaskEntity | undefined): OwnerEntry[] {
  const queued = new Set<DisplayId>();
  for (const op of evidence.open.values()) {
    const requested = op.attrs.get("permits_requested")?.value;
    const obtained = op.attrs.get("permits_obtained")?.value;
    if (typeof requested === "bigint" && typeof obtained === "bigint" && obtained >= requested) continue;
    if (op.task !== undefined) queued.add(op.task);
  }
  if (queued.size === 0 || evidence.permitsMovable) return [];
  const out: OwnerEntry[] = [];
  for (const [id, entry] of evidence.permits) {
    const holder = task(id);
    if (!holder || holder.completed || queued.has(id)) continue;
    out.push({ task: id, role: "permit", count: Number(entry.permits), since: entry.since, certainty: "possible" });
  }
  return out;
}

/** A grant that names a live task and whose guard cannot have moved. */
function usable(grant: Grant, task: (id: DisplayId) => TaskEntity | undefined): boolean {
  if (grant.movable || grant.task === undefined) return false;
  const holder = task(grant.task);
  return holder !== undefined && !holder.completed;
}

/** An acquire assigned everything it asked for but not yet polled: the lock is changing hands. */
function handingOver(evidence: TokioLockEvidence): boolean {
  for (const op of evidence.open.values()) {
    const requested = op.attrs.get("permits_requested")?.value;
    const obtained = op.attrs.get("permits_obtained")?.value;
    if (typeof requested === "bigint" && typeof obtained === "bigint" && requested > 0n && obtained >= requested) return true;
  }
  return false;
}
