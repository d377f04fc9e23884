/**
 * A task that certainly can never be woken, on evidence only: the target
 * proved it has no waker left and its wait leads to no other stuck task (or
 * it waits on nothing visible: a promise nobody can resolve), or every wait
 * is on a resource that can never free it (dropped, its guard or permits
 * leaked, unreachable with no freer left). A lock whose holder finished is
 * not proof: the guard may still be released elsewhere.
 */
import { define, locs, taskText, type Lint } from "./lint.js";

export const neverWoken: Lint = {
  definition: define(
    "never-woken",
    "error",
    "tasks wait on something nothing can complete any more",
    "Nothing that could wake this task is left: the target proved that no code able to run still references it, or the resource it waits on was dropped, or its lock guard or permits were garbage-collected without being released. The task will wait forever and whatever it holds stays held.",
  ),
  check({ store }) {
    return store.verdicts().neverWoken.map((verdict) => {
      const task = store.task(verdict.task);
      const who = taskText(task, verdict.task);
      const waits = verdict.waits;
      const message =
        waits.length === 0
          ? task?.target?.startsWith("tokio")
            ? `Task ${who} waits on a future that nothing still able to run can wake: it will never be woken.`
            : `Task ${who} waits on a promise that nothing still able to run can resolve: it will never be woken.`
          : `Task ${who} waits (${waits.map((w) => (w.resource ? `${w.reason} on ${w.resource.label}` : w.reason)).join("; ")}) but ${verdict.reasons.join(", and ")}: it will never be woken.`;
      return {
        subject: `task:${verdict.task}`,
        message,
        tasks: [verdict.task],
        resources: waits.flatMap((w) => (w.resource ? [w.resource.id] : [])),
        locations: locs(...waits.map((w) => w.awaitLocation), task?.location),
      };
    });
  },
};
