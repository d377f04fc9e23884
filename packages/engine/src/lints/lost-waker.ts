/** tokio-console's `lost-waker` lint, with its exact condition (warnings.rs). */
import { optGreater } from "../private/option-order.js";
import { define, isBlockingKind, locs, taskText, type Lint } from "./lint.js";

export const lostWaker: Lint = {
  definition: define(
    "lost-waker",
    "warning",
    "tasks have lost their wakers",
    "The task is idle and no waker for it exists any more, so nothing can ever schedule it again: it will never be woken. Usually a future returned Pending without registering the waker it was given.",
  ),
  check({ store }) {
    // A task a stuck verdict already names, or one only downstream of it, is told there.
    const { named, downstream } = store.verdicts();
    return store.tasks().flatMap((task) => {
      if (isBlockingKind(task) || task.state === "completed" || task.state === "running") return [];
      if (named.has(task.id) || downstream.has(task.id)) return [];
      if (task.wakers.current !== 0n) return [];
      if (task.polls === 0n || optGreater(task.wakers.lastWake, task.lastPollStarted)) return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} has lost its waker and will never be woken again.`,
          tasks: [task.id],
          locations: locs(task.location),
        },
      ];
    });
  },
};
