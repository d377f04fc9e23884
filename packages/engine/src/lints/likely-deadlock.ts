/**
 * A closed wait-for cycle that holds only if the tasks known to use an end
 * (those seen sending, receiving, notifying, arriving) are its only users.
 * Other code holding a reference could still free it, so this is a warning
 * that names exactly what is known.
 */
import { cycleResourceText, define, locs, taskText, type Lint } from "./lint.js";

export const likelyDeadlock: Lint = {
  definition: define(
    "likely-deadlock",
    "warning",
    "tasks likely wait on each other",
    "These tasks wait on each other in a closed cycle, counting only the tasks known to use each end. If no other code holds those ends, none of them can move. insight cannot prove that (a handle may sit elsewhere), so it says what it knows.",
  ),
  check({ store }) {
    return store.likelyCycles().map((cycle) => {
      const names = cycle.tasks.map((t) => taskText(store.task(t.id), t.id)).join(", ");
      const resources = cycle.resources.map((r) => cycleResourceText(store, r)).join(", ");
      const one = cycle.tasks.length === 1;
      const self = one ? "waits on itself through" : "wait on each other through";
      return {
        subject: cycle.id,
        message: `Likely deadlock: task${one ? "" : "s"} ${names} ${self} ${resources}; ${cycle.evidence}.`,
        tasks: cycle.tasks.map((t) => t.id),
        resources: cycle.resources.map((r) => r.id),
        locations: locs(...cycle.awaitLocations),
        cycle,
      };
    });
  },
};
