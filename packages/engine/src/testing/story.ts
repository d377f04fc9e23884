/**
 * The seed story as protocol updates, on today's wire: the request task
 * "GET /process" awaits process-jobs (a JoinHandle), and process-jobs is
 * blocked sending into the full `prototype_channel`. Owners are users only:
 * process-jobs sent, nobody ever received, so the channel has no known
 * receiver and nothing can be claimed from ownership alone.
 *
 * `storyUpdates()` is the story before the GC proof (wakers still held).
 * `storyProvenUpdates()` continues it: the library proved process-jobs and
 * the request stuck (waker drops raised to the clones), and the collected
 * channel stays visible as unreachable.
 */
import type { Update } from "@async-insight/protocol";
import { MS, S, T0, UpdateBuilder } from "./fixtures.js";

export const STORY_REQUEST_SPAN = 10n;
export const STORY_REQUEST_ID = 1n;
export const STORY_TASK_SPAN = 11n;
/** process-jobs */
export const STORY_TASK_ID = 4n;
export const STORY_CHANNEL_SPAN = 21n;
export const STORY_JOIN_SPAN = 22n;
export const STORY_OP_SPAN = 31n;
export const STORY_JOIN_OP_SPAN = 32n;

const FILE = "examples/node/prototype-channel/server.mjs";

/** The request's and process-jobs' stats; `proven` raises the waker drops to the clones. */
function stats(b: UpdateBuilder, proven: boolean): UpdateBuilder {
  return b
    .taskStats(STORY_REQUEST_SPAN, {
      created: T0,
      polls: 2n,
      started: T0 + 5n * MS,
      ended: T0 + 6n * MS,
      busy: 2n * MS,
      wakes: 1n,
      clones: 2n,
      drops: proven ? 2n : 1n,
      lastWake: T0 + 4n * MS,
    })
    .taskStats(STORY_TASK_SPAN, {
      created: T0 + 6n * MS,
      polls: 3n,
      started: T0 + 10n * MS,
      ended: T0 + 11n * MS,
      busy: 3n * MS,
      wakes: 2n,
      clones: 3n,
      drops: proven ? 3n : 2n,
      lastWake: T0 + 9n * MS,
    });
}

/** First update: the tasks, the full channel, the pending send and join. Second: time passes, nothing changes. */
export function storyUpdates(): Update[] {
  const b = new UpdateBuilder();
  b.task({ span: STORY_REQUEST_SPAN, id: STORY_REQUEST_ID, name: "GET /process", kind: "request", file: FILE, line: 42 })
    .task({ span: STORY_TASK_SPAN, id: STORY_TASK_ID, name: "process-jobs", file: FILE, line: 49, parents: [STORY_REQUEST_SPAN] })
    .resource({ span: STORY_CHANNEL_SPAN, type: "Channel", file: FILE, line: 33 })
    .resourceStats(STORY_CHANNEL_SPAN, { "insight.name": "prototype_channel", capacity: 1n, len: 1n, "insight.owners": `sender:${STORY_TASK_ID}` })
    .resource({ span: STORY_JOIN_SPAN, type: "JoinHandle", file: FILE, line: 49 })
    .resourceStats(STORY_JOIN_SPAN, { "insight.name": "process-jobs", finished: false, "insight.owners": `task:${STORY_TASK_ID}` })
    .asyncOp({ span: STORY_OP_SPAN, source: "Channel::send", resource: STORY_CHANNEL_SPAN, file: FILE, line: 35 })
    .opStats(
      STORY_OP_SPAN,
      STORY_TASK_SPAN,
      { "insight.reason": "send: waiting on channel capacity", "insight.await_line": "await prototype_channel.send(job);" },
      { created: T0 + 10n * MS },
    )
    .asyncOp({ span: STORY_JOIN_OP_SPAN, source: "JoinHandle::join", resource: STORY_JOIN_SPAN, file: FILE, line: 49 })
    .opStats(STORY_JOIN_OP_SPAN, STORY_REQUEST_SPAN, { "insight.reason": "waiting for task 4 (process-jobs) to finish" }, { created: T0 + 6n * MS });
  stats(b, false);
  const first = b.build(T0 + S);
  stats(b, false);
  const second = b.build(T0 + 2n * S);
  return [first, second];
}

/**
 * After the proof: the update that reports it, and one more (the proof is
 * confirmed, as any verdict, at two updates).
 */
export function storyProvenUpdates(): Update[] {
  const b = new UpdateBuilder();
  stats(b, true).resourceStats(STORY_CHANNEL_SPAN, { "insight.unreachable": true });
  const proof = b.build(T0 + 5n * S);
  stats(b, true);
  const after = b.build(T0 + 6n * S);
  return [proof, after];
}
