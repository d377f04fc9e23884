/** Tasks that spend a large share of their life woken but not yet polled. */
import { define, isBlockingKind, locs, taskText, type Lint } from "./lint.js";

export const highScheduledTime: Lint = {
  definition: define(
    "high-scheduled-time",
    "warning",
    "tasks spend much of their time waiting to be polled after being woken",
    "Being scheduled means ready to run but waiting for the executor. When that share stays high, the executor is overloaded or something is hogging it: look for long polls, too many ready tasks, or too few worker threads.",
  ),
  check({ store, thresholds }) {
    return store.tasks().flatMap((task) => {
      if (isBlockingKind(task)) return [];
      const times = task.times;
      if (times.total < thresholds.highScheduledMinLifeNs || times.total === 0n) return [];
      const share = Number(times.scheduled) / Number(times.total);
      if (share < thresholds.highScheduledShare) return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} has spent ${Math.round(share * 100)}% of its life ready but waiting to be polled.`,
          tasks: [task.id],
          locations: locs(task.location),
        },
      ];
    });
  },
};
