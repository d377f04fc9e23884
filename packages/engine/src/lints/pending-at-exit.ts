/** Tasks that had not completed when the program exited. */
import { define, locs, taskText, type Lint } from "./lint.js";

export const pendingAtExit: Lint = {
  definition: define(
    "pending-at-exit",
    "warning",
    "tasks were still pending when the program exited",
    "The program ended while these tasks were unfinished, so their remaining work was silently dropped: writes not flushed, replies never sent. Await them (or cancel them on purpose) before exiting.",
  ),
  check({ store }) {
    if (!store.exited) return [];
    return store.tasks().flatMap((task) => {
      if (task.state === "completed") return [];
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} was still ${task.state} when the program exited.`,
          tasks: [task.id],
          locations: locs(task.location, ...store.waitsOf(task.id).map((w) => w.awaitLocation)),
        },
      ];
    });
  },
};
