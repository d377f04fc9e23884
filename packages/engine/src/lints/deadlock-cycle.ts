/** Confirmed deadlock cycles from the wait-for graph, as problems. */
import { define, locs, taskText, type Lint } from "./lint.js";

export const deadlockCycle: Lint = {
  definition: define(
    "deadlock-cycle",
    "error",
    "deadlock cycles were detected",
    "These tasks each wait on a resource that only another task in the same group (or the task itself) can free. None of them can move, so none of them ever will: the program is stuck in this part, for good.",
  ),
  check({ store }) {
    return store.cycles().map((cycle) => {
      const names = cycle.tasks.map((t) => taskText(store.task(t.id), t.id)).join(", ");
      const resources = cycle.resources.map((r) => r.label).join(", ");
      const self = cycle.tasks.length === 1 ? "waits on itself" : "wait on each other";
      return {
        subject: cycle.id,
        message: `Task${cycle.tasks.length === 1 ? "" : "s"} ${names} ${self} through ${resources} and can never make progress.`,
        tasks: cycle.tasks.map((t) => t.id),
        resources: cycle.resources.map((r) => r.id),
        locations: locs(...cycle.awaitLocations),
        cycle,
      };
    });
  },
};
