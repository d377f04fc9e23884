/**
 * Which tasks are certainly stuck, and since which update: a verdict built
 * on it needs the condition at two consecutive updates. Updated from task
 * stats only (a task's state and waker counts change nowhere else), so the
 * cost follows the stats applied, not the task count.
 */
import type { TaskEntity } from "../entities/task-entity.js";

export class StuckTracker {
  readonly #stuck = new Set<TaskEntity>();

  /**
   * After a task's stats were applied at update `update`. A task polled
   * since it was first seen stuck made progress, so its count starts again:
   * tokio's waker counts can read 0 for a moment around a wake by value
   * (tokio-console#149), and such a task keeps being polled.
   */
  observe(task: TaskEntity, update: number): void {
    if (task.certainlyStuck) {
      if (task.stuckSince === undefined || task.stuckPolls !== task.pollCount) {
        task.stuckSince = update;
        task.stuckPolls = task.pollCount;
        this.#stuck.add(task);
      }
    } else if (task.stuckSince !== undefined) {
      task.stuckSince = undefined;
      this.#stuck.delete(task);
    }
  }

  forget(task: TaskEntity): void {
    this.#stuck.delete(task);
  }

  /** Tasks stuck since an update before `updates` (the current count). */
  confirmed(updates: number): TaskEntity[] {
    return [...this.#stuck].filter((t) => t.stuckSince !== undefined && t.stuckSince < updates);
  }

  ids(): Set<TaskEntity["id"]> {
    return new Set([...this.#stuck].map((t) => t.id));
  }
}
