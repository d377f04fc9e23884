/**
 * The most recent distinct tasks that used one end of a primitive (sent,
 * received, notified): the evidence behind a "possible" owner. Bounded, so a
 * channel shared by thousands of request tasks keeps only the latest few; a
 * repeat by the latest user costs one comparison.
 */
import type { LiveTask } from "./records.js";

export const MAX_RECENT_TASKS = 8;

export class RecentTasks implements Iterable<LiveTask> {
  #tasks: LiveTask[] = [];

  /** Notes a use by `task`; true when the set of tasks changed. */
  note(task: LiveTask | undefined): boolean {
    if (task === undefined) return false;
    const tasks = this.#tasks;
    if (tasks[tasks.length - 1] === task) return false;
    const at = tasks.indexOf(task);
    if (at >= 0) tasks.splice(at, 1);
    else if (tasks.length >= MAX_RECENT_TASKS) tasks.shift();
    tasks.push(task);
    return at < 0;
  }

  get size(): number {
    return this.#tasks.length;
  }

  [Symbol.iterator](): Iterator<LiveTask> {
    return this.#tasks[Symbol.iterator]();
  }
}
