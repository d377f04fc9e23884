/** tokio-console's `auto-boxed-future` lint, with its exact condition (warnings.rs). */
import { define, locs, taskText, type Lint } from "./lint.js";

export const autoBoxedFuture: Lint = {
  definition: define(
    "auto-boxed-future",
    "warning",
    "tasks have been boxed by the runtime due to their size",
    "The future was too large to move around cheaply, so the runtime put it on the heap for you. It works, but the size hints at large state held across awaits.",
  ),
  check({ store }) {
    return store.tasks().flatMap((task) => {
      const size = task.sizeBytes;
      const original = task.originalSizeBytes;
      if (size === undefined || original === undefined || size === original) return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} was ${original} bytes, so the runtime boxed it (now ${size} bytes).`,
          tasks: [task.id],
          locations: locs(task.location),
        },
      ];
    });
  },
};
