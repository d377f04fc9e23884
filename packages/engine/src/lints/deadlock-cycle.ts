/**
 * Deadlocks that certainly hold, as problems: closed wait-for cycles whose
 * every side's freers are certain (lock and permit holders, awaited tasks,
 * owners of an unreachable resource), and groups of tasks proven stuck.
 */
import type { DisplayId } from "../model.js";
import { cycleResourceText, define, locs, taskText, type Lint } from "./lint.js";

export const deadlockCycle: Lint = {
  definition: define(
    "deadlock-cycle",
    "error",
    "deadlock cycles were detected",
    "These tasks each wait on a resource that only another task in the same group (or the task itself) can free, and the evidence is certain: the freers are lock holders, the holders of a pool's connections or a limiter's slots, awaited tasks, or the target proved that nothing able to run can wake them. None of them can move, so none of them ever will.",
  ),
  check({ store }) {
    return store.cycles().map((cycle) => {
      const names = cycle.tasks.map((t) => taskText(store.task(t.id), t.id)).join(", ");
      const resources = cycle.resources.map((r) => cycleResourceText(store, r)).join(", ");
      const one = cycle.tasks.length === 1;
      const self = one ? "waits on itself through" : "wait on each other through";
      return {
        subject: cycle.id,
        message: `Task${one ? "" : "s"} ${names} ${self} ${resources} and can never make progress: ${cycle.evidence}.${behind(store, cycle.blocked)}`,
        tasks: cycle.tasks.map((t) => t.id),
        resources: cycle.resources.map((r) => r.id),
        locations: locs(...cycle.awaitLocations),
        cycle,
      };
    });
  },
};

/** " Tasks 9, 10 wait behind them.": the downstream waiters, told here rather than as problems of their own. */
function behind(store: Parameters<Lint["check"]>[0]["store"], blocked: readonly DisplayId[] | undefined): string {
  if (!blocked || blocked.length === 0) return "";
  const names = blocked.map((id) => taskText(store.task(id), id)).join(", ");
  return blocked.length === 1 ? ` Task ${names} waits behind them.` : ` Tasks ${names} wait behind them.`;
}
