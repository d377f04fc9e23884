/** tokio-console's `self-wakes` lint, with its exact condition (warnings.rs). */
import { define, isBlockingKind, locs, taskText, type Lint } from "./lint.js";

export const selfWakes: Lint = {
  definition: define(
    "self-wakes",
    "warning",
    "tasks have woken themselves over 50% of the time",
    "A task that mostly wakes itself is usually spinning: it yields and asks to be polled again straight away instead of waiting for an event, which burns CPU and crowds out other tasks.",
  ),
  check({ store, thresholds }) {
    return store.tasks().flatMap((task) => {
      const { wakes, selfWakes: self } = task.wakers;
      if (isBlockingKind(task) || wakes === 0n) return [];
      const percent = (self * 100n) / wakes;
      if (percent <= BigInt(thresholds.selfWakePercent)) return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} has woken itself for ${percent}% of its wakes (${self} of ${wakes}).`,
          tasks: [task.id],
          locations: locs(task.location),
        },
      ];
    });
  },
};
