/**
 * A task still running after the task that spawned it finished: detached
 * execution nobody awaits. Node's `main` spawner is exempt, since a module
 * that finishes evaluating while its tasks run on is the normal case.
 */
import { define, locs, taskText, type Lint } from "./lint.js";

export const detachedTask: Lint = {
  definition: define(
    "detached-task",
    "info",
    "tasks outlive the task that spawned them",
    "Nobody waits for this task any more: its spawner has completed. That may be intended (a background job), but it also means its errors and its completion go unobserved, and it can keep resources alive.",
  ),
  check({ store }) {
    return store.tasks().flatMap((task) => {
      if (task.state === "completed" || task.parents.length === 0) return [];
      return task.parents.flatMap((parentId) => {
        const parent = store.task(parentId);
        // The store forgets only completed tasks, so a missing parent has completed too.
        if (parent && (parent.state !== "completed" || parent.kind === "main")) return [];
        return [
          {
            subject: `task:${task.id}:parent:${parentId}`,
            message: `Task ${taskText(task, task.id)} is still ${task.state} after the task that spawned it (${taskText(parent, parentId)}) completed.`,
            tasks: [task.id, parentId],
            locations: locs(task.location),
          },
        ];
      });
    });
  },
};
