/**
 * Tasks whose context is still held strongly (LiveTask.pendingContext),
 * and lock guards or permits not watched yet. A WeakRef or a finalizer costs
 * microseconds and GC work per object, too much for a task or a permit per
 * request; most are over within one publish interval, so only those still
 * running (or held) at the next settle get one. The GC proof needs 3 s of
 * idleness anyway.
 *
 * Tasks sit in a plain array, each knowing its slot: adding is a push and
 * ending clears the slot, which costs a fraction of a Set's hashing on a path
 * every request takes (two tasks per request in a typical handler). A cleared
 * slot lets an ended task be garbage at once, before the next settle.
 */
import type { LiveTask } from "./records.js";

export interface Watchable {
  watch(): void;
}

export class YoungRecords {
  #tasks: (LiveTask | undefined)[] = [];
  readonly guards = new Set<Watchable>();

  addTask(task: LiveTask): void {
    task.youngSlot = this.#tasks.length;
    this.#tasks.push(task);
  }

  /** The task ended young: it never needs a WeakRef. */
  endTask(task: LiveTask): void {
    const slot = task.youngSlot;
    if (slot < 0) return;
    this.#tasks[slot] = undefined;
    task.youngSlot = -1;
    task.pendingContext = undefined;
  }

  /** Tasks and guards that outlived an interval are watched weakly from now on. */
  watch(): void {
    const tasks = this.#tasks;
    if (tasks.length > 0) {
      this.#tasks = [];
      for (const task of tasks) {
        if (task === undefined) continue;
        task.youngSlot = -1;
        if (task.pendingContext !== undefined) {
          task.context = new WeakRef(task.pendingContext);
          task.pendingContext = undefined;
        }
      }
    }
    if (this.guards.size > 0) {
      for (const guard of this.guards) guard.watch();
      this.guards.clear();
    }
  }
}
