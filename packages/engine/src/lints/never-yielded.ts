/** tokio-console's `never-yielded` lint, with its exact condition (warnings.rs). */
import { define, formatNanos, isBlockingKind, locs, taskText, type Lint } from "./lint.js";

export const neverYielded: Lint = {
  definition: define(
    "never-yielded",
    "warning",
    "tasks have never yielded (threshold 1000ms)",
    "The task has been inside its first poll for a long time. A future that never returns Pending holds its worker thread (or the whole event loop) and starves every other task scheduled there.",
  ),
  check({ store, thresholds }) {
    return store.tasks().flatMap((task) => {
      if (isBlockingKind(task) || task.state !== "running" || task.polls > 1n) return [];
      const busy = task.times.busy;
      if (busy < thresholds.neverYieldedNs) return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} has been running for ${formatNanos(busy)} without yielding.`,
          tasks: [task.id],
          locations: locs(task.location),
        },
      ];
    });
  },
};
