/**
 * Which task is running: an AsyncLocalStorage whose store is a small per-task
 * context object. Context follows every async continuation Node knows about
 * (promise reactions, timers, I/O callbacks), which is exactly the "code of a
 * task" in docs/model.md.
 *
 * The context is also the GC proof's witness (docs/model.md, "Proof by
 * garbage collection"): its only strong references are the async contexts that
 * can still run code of the task. The TaskRecord is reached from it, never the
 * other way strongly: the record keeps a WeakRef, so once nothing that could
 * resume the task exists, a full GC empties that WeakRef.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { TaskRecord } from "./records.js";

export class TaskContext {
  readonly record: TaskRecord;
  constructor(record: TaskRecord) {
    this.record = record;
  }
}

export const taskStorage = new AsyncLocalStorage<TaskContext>();

/**
 * A new context for `record`. The record holds it strongly only until the
 * next publish, then through a WeakRef (young-records.ts): a WeakRef
 * per short request task would cost more than everything else insight does.
 */
export function newTaskContext(record: TaskRecord): TaskContext {
  const context = new TaskContext(record);
  record.pendingContext = context;
  return context;
}

export function currentTaskRecord(): TaskRecord | undefined {
  return taskStorage.getStore()?.record;
}
