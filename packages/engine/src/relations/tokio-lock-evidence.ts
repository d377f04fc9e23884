/**
 * What console-subscriber tells about who took a tokio lock, folded per lock.
 *
 * The facts this rests on (tokio 1.4x–1.5x, console-subscriber 0.4–0.5):
 * - `Mutex`, `RwLock` and `Semaphore` each own an internal batch semaphore,
 *   published as an internal `Semaphore` resource whose parent is the lock.
 * - Every `lock()`, `read()`, `write()`, `acquire*()` creates an
 *   `Acquire::new` async op on that internal semaphore, as a child of the
 *   op named after the method (`Mutex::lock`, `RwLock::write_owned`, ...).
 *   Its attributes are `permits_requested` and `permits_obtained` (obtained
 *   grows as permits are assigned; it reaches requested when the wait is
 *   over). Its `task_id` is the task whose poll made it.
 * - The op ends (`dropped_at`) when the acquire future is dropped: right
 *   after it completed, or when the caller gave up (timeout, select). A
 *   caller that gave up before being assigned everything returns what it had.
 * - Finished ops stay in console-subscriber for its retention (1 h by
 *   default), and a new console receives them all in its first update. That
 *   is why holders can be found after the fact.
 * - The lock's own state: Mutex `locked`, RwLock `write_locked`,
 *   `current_readers`, `max_readers`; a Semaphore `permits` (available).
 * - Not seen: `try_lock`/`try_read`/`try_write`/`try_acquire` (no op), who
 *   dropped a guard, and a semaphore's total number of permits.
 *
 * A "grant" is an acquire that obtained everything it asked for and
 * completed. Grants are folded once, into the little each rule needs: the
 * latest exclusive grant, the read grants after it, and permits per task.
 */
import type { DisplayId, Nanos } from "../model.js";
import type { AsyncOpEntity } from "../entities/async-op-entity.js";

export type TokioLockKind = "Mutex" | "RwLock" | "Semaphore";

export interface Grant {
  readonly op: DisplayId;
  /** The op's span and creation time: the same acquire however often it is resent. */
  readonly key: string;
  readonly task: DisplayId | undefined;
  /** When the acquire completed (its drop), else when the grant was seen. */
  readonly at: Nanos;
  readonly permits: bigint;
  /** Update in which the grant was folded (see `releasedBefore`). */
  readonly update: number;
  /**
   * Taken through an `*_owned` method, or through an op whose method is not
   * known: the guard or permit is `'static` and may have moved to another task.
   */
  readonly movable: boolean;
}

/** Read grants kept per lock before the count can no longer match anything exact. */
const MAX_READS = 256;
/** Recently folded ops remembered per lock, against the immediate resend. */
const MAX_SETTLED = 4096;
/** Grant keys remembered per task on a semaphore, against a reconnect's resend. */
const MAX_TASK_KEYS = 64;
/**
 * How far before an update's time a state read surely follows a grant's
 * completion (the state event comes microseconds after it; a second covers
 * a thread descheduled in between).
 */
const SAME_MOMENT = 1_000_000_000n;

export class TokioLockEvidence {
  readonly kind: TokioLockKind;
  /** Acquires not yet settled (still waiting, or assigned but not yet polled). */
  readonly open = new Map<DisplayId, AsyncOpEntity>();
  /** Mutex lock or RwLock write: the latest by completion time. */
  latestExclusive: Grant | undefined = undefined;
  /** Read grants that completed after `latestExclusive` and after readers were last seen at zero. */
  reads: Grant[] = [];
  /** Some read grants were let go for space: the reads can no longer be counted exactly. */
  readsOverflow = false;
  /** Semaphore: per task, its latest grant's permits and time. */
  readonly permits = new Map<DisplayId, { permits: bigint; since: Nanos; keys: Set<string> }>();
  /** Semaphore: some permit was taken owned or outside a task, so it may be held anywhere. */
  permitsMovable = false;
  /** Grants folded in an update before this one were seen released (the lock read as free). */
  exclusiveReleasedBefore = 0;
  /** Grants that completed at or before this time were seen released. */
  exclusiveReleasedAt: Nanos = -1n;
  /**
   * Ops already folded, by span and creation time rather than display id:
   * console-subscriber sends a new console every finished op twice (in its
   * first update, and again as unsent in the next), and the store makes a
   * fresh record for a finished op it receives again. Bounded: a resend
   * after a reconnect is caught by the per-structure checks below.
   */
  readonly #settled = new Set<string>();

  constructor(kind: TokioLockKind) {
    this.kind = kind;
  }

  /**
   * Folds an `Acquire::new` op. `outerSource` is the method the user called
   * (the op's parent), undefined when console-subscriber did not link it.
   */
  observeAcquire(op: AsyncOpEntity, outerSource: string | undefined, maxReaders: bigint | undefined, now: Nanos, update: number): void {
    const key = `${op.spanKey}@${op.createdAt ?? ""}`;
    if (this.#settled.has(key)) return;
    const dropped = op.droppedAt !== undefined;
    const ready = op.lastPollReady === true;
    if (!dropped && !ready) {
      this.open.set(op.id, op);
      return;
    }
    this.open.delete(op.id);
    this.#settled.add(key);
    if (this.#settled.size > MAX_SETTLED) this.#settled.delete(this.#settled.values().next().value!);
    const requested = uintAttr(op, "permits_requested");
    const obtained = uintAttr(op, "permits_obtained");
    // With the permit attributes, obtained == requested is the grant. Without
    // them (an older tokio), only a ready poll says the acquire succeeded.
    const granted = requested !== undefined && obtained !== undefined ? requested > 0n && obtained >= requested : ready;
    if (!granted) return;
    const grant: Grant = {
      op: op.id,
      key,
      task: op.task,
      at: op.droppedAt ?? now,
      permits: requested ?? 1n,
      update,
      movable: outerSource === undefined || /_owned$/.test(outerSource),
    };
    if (this.kind === "Semaphore") this.#foldPermits(grant);
    else if (this.#exclusive(outerSource, requested, maxReaders)) this.#foldExclusive(grant);
    else this.#foldRead(grant);
  }

  /**
   * The lock read as free (Mutex `locked=false`, RwLock `write_locked=false`)
   * in `update`, published at `now`. tokio sets `locked=true` just after the
   * acquire completes, so a grant of this very update may have completed
   * after the state was read: only grants of earlier updates, or well before
   * `now`, are known to be over.
   */
  exclusiveFree(update: number, now: Nanos): void {
    this.exclusiveReleasedBefore = update;
    this.exclusiveReleasedAt = now - SAME_MOMENT;
  }

  /** RwLock `current_readers=0` in `update` at `now`: reads granted before (as above) are over. */
  noReaders(update: number, now: Nanos): void {
    this.reads = this.reads.filter((r) => r.update >= update && r.at > now - SAME_MOMENT);
    if (this.reads.length === 0) this.readsOverflow = false;
  }

  /** Whether the lock was seen free after this grant. */
  releasedSince(grant: Grant): boolean {
    return grant.update < this.exclusiveReleasedBefore || grant.at <= this.exclusiveReleasedAt;
  }

  /** Drops the permit entries of tasks that ended (a task's permits go with its future) and settled open ops. */
  forgetEnded(ended: (task: DisplayId) => boolean): void {
    for (const id of this.permits.keys()) if (ended(id)) this.permits.delete(id);
    for (const [id, op] of this.open) if (op.droppedAt !== undefined) this.open.delete(id);
  }

  #exclusive(outerSource: string | undefined, requested: bigint | undefined, maxReaders: bigint | undefined): boolean {
    if (this.kind === "Mutex") return true;
    if (outerSource !== undefined) return /::write/.test(outerSource);
    // Unlinked op: a write asks for every reader slot at once.
    return requested !== undefined && maxReaders !== undefined && requested === maxReaders && maxReaders > 1n;
  }

  #foldExclusive(grant: Grant): void {
    if (this.latestExclusive && this.latestExclusive.at > grant.at) return;
    this.latestExclusive = grant;
    // A writer gets in only once every earlier reader has left.
    this.reads = this.reads.filter((r) => r.at > grant.at);
  }

  #foldRead(grant: Grant): void {
    if (this.latestExclusive && grant.at <= this.latestExclusive.at) return;
    if (this.reads.some((r) => r.key === grant.key)) return;
    this.reads.push(grant);
    if (this.reads.length > MAX_READS) {
      this.reads.shift();
      this.readsOverflow = true;
    }
  }

  #foldPermits(grant: Grant): void {
    if (grant.task === undefined || grant.movable) {
      // An owned permit, or one taken outside any task (block_on): no set of named tasks is complete any more.
      this.permitsMovable = true;
      return;
    }
    const entry = this.permits.get(grant.task);
    if (entry) {
      if (entry.keys.has(grant.key)) return;
      entry.keys.add(grant.key);
      if (entry.keys.size > MAX_TASK_KEYS) entry.keys.delete(entry.keys.values().next().value!);
      // What a task may hold now is what it took last: earlier grants were
      // most likely returned, and exactly which is not said.
      if (grant.at >= entry.since) {
        entry.since = grant.at;
        entry.permits = grant.permits;
      }
    } else this.permits.set(grant.task, { permits: grant.permits, since: grant.at, keys: new Set([grant.key]) });
  }
}

function uintAttr(op: AsyncOpEntity, name: string): bigint | undefined {
  const value = op.attrs.get(name)?.value;
  return typeof value === "bigint" ? value : undefined;
}
