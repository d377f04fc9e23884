/**
 * A single poll long enough to block the executor (or Node's event loop),
 * naming the tasks it starved: those that were woken but had to wait to be
 * polled while it ran.
 */
import type { DisplayId, LongPoll } from "../model.js";
import type { RuntimeStore } from "../store/store.js";
import { define, formatNanos, isBlockingKind, locs, taskText, type Lint } from "./lint.js";

/** Starvation is costly to compute (it scans timelines), so remember it per poll. */
const starvedCache = new WeakMap<RuntimeStore, Map<string, DisplayId[]>>();

function starvedBy(store: RuntimeStore, poll: LongPoll): DisplayId[] {
  let cache = starvedCache.get(store);
  if (!cache) starvedCache.set(store, (cache = new Map()));
  const key = `${poll.task}:${poll.start}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const starved: DisplayId[] = [];
  for (const task of store.tasks()) {
    if (task.id === poll.task) continue;
    const overlapped = store.timeline(task.id).some((e) => e.type === "scheduled" && e.start < poll.end && e.end > poll.start);
    const stillWaiting = task.state === "scheduled" && task.wakers.lastWake !== undefined && task.wakers.lastWake < poll.end;
    if (overlapped || stillWaiting) starved.push(task.id);
  }
  cache.set(key, starved);
  if (cache.size > 1024) cache.delete(cache.keys().next().value!);
  return starved;
}

export const longPoll: Lint = {
  definition: define(
    "long-poll",
    "warning",
    "polls blocked the executor for too long",
    "One poll ran for a long time without yielding. While it ran, its thread (in Node, the whole event loop) could not poll anything else: tasks that were ready had to wait. Move blocking or CPU-heavy work off the executor or split it with yields.",
  ),
  check({ store, thresholds }) {
    return store.longPolls().flatMap((poll) => {
      const duration = poll.end - poll.start;
      if (duration < thresholds.longPollNs) return [];
      const task = store.task(poll.task);
      if (task && isBlockingKind(task)) return [];
      const starved = starvedBy(store, poll);
      const names = starved.map((id) => taskText(store.task(id), id)).join(", ");
      return [
        {
          subject: `task:${poll.task}:at:${poll.start}`,
          message:
            `A poll of task ${taskText(task, poll.task)} took ${formatNanos(duration)}, blocking the executor` +
            (starved.length > 0 ? `; ${starved.length} ready task${starved.length === 1 ? "" : "s"} waited meanwhile: ${names}.` : "."),
          tasks: [poll.task, ...starved],
          locations: locs(task?.location),
          starved,
        },
      ];
    });
  },
};
