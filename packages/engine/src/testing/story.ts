/**
 * The seed story as protocol updates: one task that both sends into and is
 * the sole receiver of `prototype_channel`, blocked on a full send.
 */
import type { Update } from "@insight/protocol";
import { MS, S, T0, UpdateBuilder } from "./fixtures.js";

export const STORY_TASK_SPAN = 11n;
export const STORY_TASK_ID = 1n;
export const STORY_CHANNEL_SPAN = 21n;
export const STORY_OP_SPAN = 31n;

/** First update: the task, the full channel, the pending send. Second: time passes, nothing changes. */
export function storyUpdates(): Update[] {
  const b = new UpdateBuilder();
  b.task({ span: STORY_TASK_SPAN, id: STORY_TASK_ID, name: "task", file: "src/server.js", line: 12 })
    .taskStats(STORY_TASK_SPAN, { created: T0, polls: 3n, started: T0 + 10n * MS, ended: T0 + 11n * MS, busy: 3n * MS, wakes: 2n, clones: 3n, drops: 2n, lastWake: T0 + 9n * MS })
    .resource({ span: STORY_CHANNEL_SPAN, type: "Channel", file: "src/server.js", line: 8 })
    .resourceStats(STORY_CHANNEL_SPAN, {
      "insight.name": "prototype_channel",
      capacity: 4n,
      len: 4n,
      "insight.owners": `receiver:${STORY_TASK_ID},sender:${STORY_TASK_ID}`,
    })
    .asyncOp({ span: STORY_OP_SPAN, source: "Channel::send", resource: STORY_CHANNEL_SPAN, file: "src/server.js", line: 30 })
    .opStats(STORY_OP_SPAN, STORY_TASK_SPAN, { "insight.reason": "send: waiting on channel capacity", "insight.await_line": "await chan.send(value);" }, { created: T0 + 10n * MS });
  const first = b.build(T0 + S);
  const second = b.build(T0 + 2n * S);
  return [first, second];
}
