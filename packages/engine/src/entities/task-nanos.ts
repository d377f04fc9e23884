/**
 * A task's times and poll count as plain numbers, written into an object the
 * caller keeps: the terminal refreshes a row per task on every update, and a
 * fresh `times` object with four bigints per task (40k objects at 10k tasks)
 * kept the collector busy.
 */
import type { TaskRecord } from "../model.js";
import { TaskEntity, type TaskNanos } from "./task-entity.js";

export type { TaskNanos };

/** Same values as `task.times` and `task.polls`, as numbers. */
export function readTaskNanos(task: TaskRecord, out: TaskNanos): void {
  if (task instanceof TaskEntity) {
    task.readNanos(out);
    return;
  }
  const times = task.times;
  out.total = Number(times.total);
  out.busy = Number(times.busy);
  out.scheduled = Number(times.scheduled);
  out.idle = Number(times.idle);
  out.polls = Number(task.polls);
}
