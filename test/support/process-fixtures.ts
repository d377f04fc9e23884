/**
 * Updates from two processes of one program, as a target that restarts
 * sends them: the same span ids and task ids, other creation times.
 *
 * The stuck process: task 1 "process-jobs" sends into the full channel
 * `jobs` that only it receives from, and the library proved it stuck (every
 * waker dropped), so the engine reports a deadlock cycle. The healthy one:
 * task 1 "fresh" idles on a plain promise, with its waker.
 */
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";

const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });

/** Each process's clock origin, in ns since the epoch: now-ish, so live targets look current. */
export function processStart(offsetMs = 0): bigint {
  return BigInt(Date.now() + offsetMs) * 1_000_000n;
}

const at = (start: bigint, ms: number) => nanosToTimestamp(start + BigInt(ms) * 1_000_000n);

/** The stuck process's update `ms` after it started (send at least two, a second apart, to confirm the cycle). */
export function stuckProcessUpdate(start: bigint, ms: number): Update {
  return create(UpdateSchema, {
    now: at(start, ms),
    taskUpdate: {
      newTasks: [{ id: { id: 1n }, fields: [str("task.name", "process-jobs"), u64("task.id", 1n)] }],
      statsUpdate: {
        "1": {
          createdAt: at(start, 0),
          wakerClones: 2n,
          wakerDrops: 2n,
          pollStats: { polls: 2n, lastPollStarted: at(start, 10), lastPollEnded: at(start, 11) },
        },
      },
    },
    resourceUpdate: {
      newResources: [{ id: { id: 10n }, concreteType: "Channel", kind: { kind: { case: "other", value: "Sync" } } }],
      statsUpdate: {
        "10": {
          createdAt: at(start, 0),
          attributes: [
            { field: str("insight.name", "jobs") },
            { field: u64("capacity", 1n) },
            { field: u64("len", 1n) },
            { field: str("insight.owners", "receiver:1,sender:1") },
          ],
        },
      },
    },
    asyncOpUpdate: {
      newAsyncOps: [{ id: { id: 100n }, source: "Channel::send", resourceId: { id: 10n } }],
      statsUpdate: {
        "100": { createdAt: at(start, 11), taskId: { id: 1n }, attributes: [{ field: str("insight.reason", "send: waiting on channel capacity") }] },
      },
    },
  });
}

/** The healthy process's update `ms` after it started. */
export function healthyProcessUpdate(start: bigint, ms: number): Update {
  return create(UpdateSchema, {
    now: at(start, ms),
    taskUpdate: {
      newTasks: [{ id: { id: 1n }, fields: [str("task.name", "fresh"), u64("task.id", 1n)] }],
      statsUpdate: { "1": { createdAt: at(start, 0), wakerClones: 1n, pollStats: { polls: 1n, lastPollStarted: at(start, 1), lastPollEnded: at(start, 2) } } },
    },
  });
}
