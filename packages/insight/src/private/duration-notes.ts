/**
 * Poll and scheduled durations owed to task histograms. A histogram per task
 * allocated on the request path (two Maps per short-lived task) was most of
 * what a watching console added to the host's garbage; a poll now appends
 * two numbers to one list (span id, negative for a scheduled time, and
 * nanoseconds), folded in at the next settle for the tasks still kept. The
 * histograms a console can read are the same as if each poll had recorded at
 * once; a task forgotten at its end gets none, as it is never shown.
 */
import { DurationRecorder } from "./histogram.js";
import type { LiveTask } from "./records.js";

/** Durations noted between two settles, at most (two numbers each): past it they are folded in at once. */
const MAX_PENDING = 1 << 18;

export class DurationNotes {
  #pending: number[] = [];

  /** `fold` is called when the list is full, so it never grows past MAX_PENDING. */
  note(task: LiveTask, scheduled: boolean, ms: number, fold: () => void): void {
    const pending = this.#pending;
    pending.push(scheduled ? -task.spanId : task.spanId, ms * 1e6);
    if (pending.length >= MAX_PENDING) fold();
  }

  /** Records the noted durations into the histograms of the tasks `tasks` still holds. */
  fold(tasks: ReadonlyMap<number, LiveTask>): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    for (let i = 0; i < pending.length; i += 2) {
      const id = pending[i]!;
      const task = tasks.get(id < 0 ? -id : id);
      if (task === undefined || !task.tracked) continue;
      if (id < 0) (task.scheduledTimes ??= new DurationRecorder()).record(pending[i + 1]!);
      else (task.pollTimes ??= new DurationRecorder()).record(pending[i + 1]!);
    }
  }
}
