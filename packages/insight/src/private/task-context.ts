/**
 * Which task is running: an AsyncLocalStorage holding the TaskRecord. Context
 * follows every async continuation Node knows about (promises, timers, I/O
 * callbacks), which is exactly the "code of a task" in docs/model.md.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { TaskRecord } from "./records.js";

export const taskStorage = new AsyncLocalStorage<TaskRecord>();

export function currentTaskRecord(): TaskRecord | undefined {
  return taskStorage.getStore();
}
