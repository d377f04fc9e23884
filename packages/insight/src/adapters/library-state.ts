/** What an adapter reads from a library object at publish, and what the words of its waits need from a tracked one. */
import type { AttributeValues, LiveTask } from "../private/records.js";

/** The library's own counters, read at publish. Absent fields are not published. */
export interface LibraryState {
  /** Units in existence at most: pool max, limiter concurrency, semaphore permits. */
  readonly capacity?: number | undefined;
  /** Units checked out / running now. */
  readonly inUse?: number | undefined;
  /** Waiters queued now. */
  readonly pending?: number | undefined;
  /** Waits on it end by themselves after this many ms. */
  readonly timeoutMs?: number | undefined;
  /** Other attributes (`locked` for a Mutex, `permits` for a Semaphore). */
  readonly extra?: AttributeValues | undefined;
}

/** A tracked resource's holders, as usageText and runningText read them (kit.ts's TrackedResource). */
export interface UnitHolders {
  /** Units held now, counted from the holders insight saw take them. */
  readonly heldUnits: number;
  /** The task holding each unit; undefined for code outside any task. */
  holderTasks(): (LiveTask | undefined)[];
  /** Units lent to one operation (pg's pool.query()), by its name. */
  operationTasks(): Map<string, (LiveTask | undefined)[]>;
}
