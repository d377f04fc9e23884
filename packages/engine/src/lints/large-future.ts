/** tokio-console's `large-future` lint, with its exact condition (warnings.rs). */
import { satSub } from "../private/option-order.js";
import { define, isBlockingKind, locs, taskText, type Lint } from "./lint.js";

export const largeFuture: Lint = {
  definition: define(
    "large-future",
    "warning",
    "tasks are 1024 bytes or larger",
    "Large futures are costly to move and to spawn. The size is the state kept across await points; boxing the big parts or narrowing what lives across an await shrinks it.",
  ),
  check({ store, thresholds }) {
    return store.tasks().flatMap((task) => {
      if (isBlockingKind(task) || task.sizeBytes === undefined || task.sizeBytes < thresholds.largeFutureBytes) return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} is ${task.sizeBytes} bytes (${satSub(task.sizeBytes, thresholds.largeFutureBytes)} over the ${thresholds.largeFutureBytes}-byte threshold).`,
          tasks: [task.id],
          locations: locs(task.location),
        },
      ];
    });
  },
};
