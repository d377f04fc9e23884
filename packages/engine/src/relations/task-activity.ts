/**
 * The one task-state vocabulary every view uses (TUI, web, dump, check, the
 * plain report). tokio-console's `idle` mixes two different facts: a task
 * that waits on something known (a pending async op) and a task whose wait
 * nobody reported. Only the first may be called "blocked".
 */
import type { DisplayId, TaskRecord } from "../model.js";

/** The one fact about the store this needs (the store satisfies it; relations sit below the store). */
export interface PendingWaits {
  hasPendingWait(task: DisplayId): boolean;
}

export type TaskActivity = "running" | "scheduled" | "blocked" | "idle" | "done";

/** `blocked` = idle with at least one pending async op; `idle` = idle with no known wait. */
export function taskActivity(store: PendingWaits, task: TaskRecord): TaskActivity {
  switch (task.state) {
    case "completed":
      return "done";
    case "running":
      return "running";
    case "scheduled":
      return "scheduled";
    case "idle":
      return store.hasPendingWait(task.id) ? "blocked" : "idle";
  }
}
