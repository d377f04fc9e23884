/**
 * A send blocked on a full channel whose receivers are not making progress:
 * none has been polled since the send started waiting (or the only receiver
 * is the sender itself).
 */
import type { DisplayId } from "../model.js";
import { define, formatNanos, locs, taskText, type Lint } from "./lint.js";

export const blockedOnFullChannel: Lint = {
  definition: define(
    "blocked-on-full-channel",
    "warning",
    "tasks are blocked sending into a full channel whose receivers are not making progress",
    "A bounded channel is full and its receivers have not run since the sender started waiting, so the sender stays blocked until a receiver catches up. Lower the send rate, raise the receive rate, raise the capacity, or (with care) go unbounded.",
  ),
  check({ store, now, thresholds }) {
    if (now === undefined) return [];
    // Many senders usually block on one channel: read its receivers once.
    const receiversOf = new Map<DisplayId, DisplayId[]>();
    // A sender a stuck verdict already names (or that only waits on one) is told there.
    const { named, downstream } = store.verdicts();
    return store.tasks().flatMap((task) => {
      if (task.state !== "idle" || named.has(task.id) || downstream.has(task.id)) return [];
      return store.waitsOf(task.id).flatMap((wait) => {
        const resource = wait.resource;
        if (wait.direction !== "send" || !resource || wait.since === undefined || wait.since < thresholds.fullChannelNs) return [];
        const began = now - wait.since;
        let receivers = receiversOf.get(resource.id);
        if (!receivers) {
          receivers = store
            .freersOf(resource.id)
            .filter((f) => f.role === "receiver")
            .map((f) => f.task);
          receiversOf.set(resource.id, receivers);
        }
        const progressing = receivers.filter((id) => {
          if (id === task.id) return false;
          const r = store.task(id);
          return r !== undefined && r.state !== "completed" && (r.state === "running" || (r.lastPollStarted ?? 0n) > began);
        });
        if (progressing.length > 0) return [];
        // Receivers are the tasks seen receiving: "known", never "sole" (another handle may exist).
        const who =
          receivers.length === 0
            ? "no task is known to receive from it"
            : receivers.length === 1 && receivers[0] === task.id
              ? "its only known receiver is the sending task itself"
              : `its known receiver${receivers.length === 1 ? "" : "s"} (${receivers.map((id) => taskText(store.task(id), id)).join(", ")}) ha${receivers.length === 1 ? "s" : "ve"} not run since`;
        return [
          {
            subject: `task:${task.id}:op:${wait.asyncOp.id}`,
            message: `Task ${taskText(task, task.id)} has waited ${formatNanos(wait.since)} to send into ${resource.label}, which is full; ${who}.`,
            tasks: [task.id, ...receivers.filter((r) => r !== task.id)],
            resources: [resource.id],
            locations: locs(wait.awaitLocation, resource.location),
          },
        ];
      });
    });
  },
};
