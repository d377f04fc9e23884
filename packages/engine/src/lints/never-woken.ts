/**
 * An idle task whose every wait is on something nothing can complete any
 * more: the resource is gone, or every task that could free it (every
 * sender, the holder...) has completed or let go. Needs stated owners, so it
 * fires for insight targets; tokio's lost-waker covers the waker side.
 */
import { rolesThatFree } from "../relations/owners.js";
import { define, locs, taskText, type Lint } from "./lint.js";

export const neverWoken: Lint = {
  definition: define(
    "never-woken",
    "error",
    "tasks wait on something nothing can complete any more",
    "Everything that could wake this task is gone: for example every sender of the channel it reads has been dropped, or the resource itself was dropped. The task will wait forever and whatever it holds stays held.",
  ),
  check({ store }) {
    return store.tasks().flatMap((task) => {
      if (task.state !== "idle") return [];
      const waits = store.waitsOf(task.id);
      if (waits.length === 0) return [];
      const reasons: string[] = [];
      for (const wait of waits) {
        const resource = wait.resource;
        if (!resource || resource.kind === "Timer") return [];
        if (resource.dropped) {
          reasons.push(`${resource.label} was dropped`);
          continue;
        }
        if (!resource.attribute("insight.owners")) return []; // nothing stated: cannot tell
        const roles = rolesThatFree(wait.direction, wait.asyncOp.source);
        const freers = store.freersOf(resource.id).filter((f) => roles.has(f.role));
        // Only itself could free it: a deadlock with one member, which deadlock-cycle reports.
        if (freers.some((f) => f.task === task.id)) return [];
        const alive = freers.filter((f) => store.task(f.task)?.state !== "completed" && store.task(f.task) !== undefined);
        if (alive.length > 0) return [];
        reasons.push(freers.length === 0 ? `nothing is left that could free ${resource.label}` : `every task that could free ${resource.label} has completed`);
      }
      return [
        {
          subject: `task:${task.id}`,
          message: `Task ${taskText(task, task.id)} waits (${waits.map((w) => w.reason).join("; ")}) but ${reasons.join(", and ")}: it will never be woken.`,
          tasks: [task.id],
          resources: waits.flatMap((w) => (w.resource ? [w.resource.id] : [])),
          locations: locs(...waits.map((w) => w.awaitLocation)),
        },
      ];
    });
  },
};
