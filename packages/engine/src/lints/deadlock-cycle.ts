/**
 * Deadlocks that certainly hold, as problems: closed wait-for cycles whose
 * every side's freers are certain (lock and permit holders, awaited tasks,
 * owners of an unreachable resource), and groups of tasks proven stuck.
 */
import { define, locs, taskText, type Lint } from "./lint.js";

export const deadlockCycle: Lint = {
  definition: define(
    "deadlock-cycle",
    "error",
    "deadlock cycles were detected",
    "These tasks each wait on a resource that only another task in the same group (or the task itself) can free, and the evidence is certain: the freers are lock or permit holders, awaited tasks, or the target proved that nothing able to run can wake them. None of them can move, so none of them ever will.",
  ),
  check({ store }) {
    return store.cycles().map((cycle) => {
      const names = cycle.tasks.map((t) => taskText(store.task(t.id), t.id)).join(", ");
      const resources = cycle.resources.map((r) => r.label).join(", ");
      const one = cycle.tasks.length === 1;
      const self = one ? "waits on itself through" : "wait on each other through";
      return {
        subject: cycle.id,
        message: `Task${one ? "" : "s"} ${names} ${self} ${resources} and can never make progress: ${cycle.evidence}.`,
        tasks: cycle.tasks.map((t) => t.id),
        resources: cycle.resources.map((r) => r.id),
        locations: locs(...cycle.awaitLocations),
        cycle,
      };
    });
  },
};
