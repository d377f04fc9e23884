/**
 * Tasks whose context is still held strongly (TaskRecord.pendingContext),
 * and lock guards or permits not watched yet. A WeakRef or a finalizer costs
 * microseconds and GC work per object, too much for a task or a permit per
 * request; most are over within one publish interval, so only those still
 * running (or held) at the next settle get one. The GC proof needs 3 s of
 * idleness anyway.
 */
import type { TaskRecord } from "./records.js";

export interface Watchable {
  watch(): void;
}

export class YoungRecords {
  readonly #tasks = new Set<TaskRecord>();
  readonly guards = new Set<Watchable>();

  addTask(task: TaskRecord): void {
    this.#tasks.add(task);
  }

  /** The task ended young: it never needs a WeakRef. */
  endTask(task: TaskRecord): void {
    if (this.#tasks.delete(task)) task.pendingContext = undefined;
  }

  /** Tasks and guards that outlived an interval are watched weakly from now on. */
  watch(): void {
    if (this.#tasks.size > 0) {
      for (const task of this.#tasks) {
        if (task.pendingContext !== undefined) {
          task.context = new WeakRef(task.pendingContext);
          task.pendingContext = undefined;
        }
      }
      this.#tasks.clear();
    }
    if (this.guards.size > 0) {
      for (const guard of this.guards) guard.watch();
      this.guards.clear();
    }
  }
}
