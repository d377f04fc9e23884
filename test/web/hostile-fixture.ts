/**
 * A console server with fixed content whose every user-controlled string is
 * markup: two tasks named like HTML injections that deadlock each other over
 * two mutexes with hostile names, await lines and fields. insight states the
 * lock holders itself (`insight.owners`), so the engine finds the cycle
 * without inference. The update is sent twice because a cycle is confirmed
 * only when two consecutive updates show it.
 */
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";

export const HOSTILE = {
  taskA: "<img src=x onerror=alert(1)>",
  taskB: '"><script>alert(2)</script>',
  mutexA: "<b onmouseover=alert(3)>ledger</b>",
  mutexB: "<iframe src=javascript:alert(4)>",
  awaitLine: "<svg onload=alert(5)>",
  field: "<a href=javascript:alert(6)>x</a>",
} as const;

/** Protocol field values for the fixtures' attributes. */
export const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
export const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });
export const bool = (name: string, value: boolean) => ({ name: { case: "strName" as const, value: name }, value: { case: "boolVal" as const, value } });

/** Timestamps `ms` after a start 5 s ago, and stats of an idle task polled twice (last at `lastPollMs`). */
export function fixtureClock() {
  const startNs = BigInt(Date.now()) * 1_000_000n - 5_000_000_000n;
  const at = (ms: number) => nanosToTimestamp(startNs + BigInt(ms) * 1_000_000n);
  const taskStats = (lastPollMs: number) => ({
    createdAt: at(0),
    lastWake: at(lastPollMs - 1),
    wakes: 2n,
    wakerClones: 2n,
    wakerDrops: 1n,
    scheduledTime: { nanos: 1_000_000 },
    pollStats: { polls: 2n, firstPoll: at(1), lastPollStarted: at(lastPollMs), lastPollEnded: at(lastPollMs + 3), busyTime: { nanos: 4_000_000 } },
  });
  return { at, taskStats };
}

export function hostileUpdates(): Update[] {
  const { at, taskStats } = fixtureClock();
  const mutex = (name: string, holder: bigint) => ({
    createdAt: at(0),
    attributes: [{ field: bool("locked", true) }, { field: str("insight.name", name) }, { field: str("insight.owners", `holder:${holder}`) }],
  });
  const wait = (task: bigint, reason: string) => ({
    createdAt: at(20),
    taskId: { id: task },
    attributes: [{ field: str("insight.reason", reason) }, { field: str("insight.await_line", HOSTILE.awaitLine) }],
  });
  const first = create(UpdateSchema, {
    now: at(4000),
    newMetadata: {
      metadata: [
        { id: { id: 1n }, metadata: { name: "runtime.spawn", target: "insight::task", location: { file: "app/<script>.mjs", line: 10, column: 3 } } },
        { id: { id: 2n }, metadata: { name: "runtime.resource", target: "insight::sync" } },
        { id: { id: 3n }, metadata: { name: "runtime.resource.async_op", target: "insight::sync", location: { file: "app/worker.mjs", line: 22, column: 9 } } },
      ],
    },
    taskUpdate: {
      newTasks: [
        {
          id: { id: 1n },
          metadata: { id: 1n },
          fields: [str("task.name", HOSTILE.taskA), u64("task.id", 1n), str("kind", "task"), str("note", HOSTILE.field)],
          location: { file: "app/<script>.mjs", line: 10, column: 3 },
        },
        {
          id: { id: 2n },
          metadata: { id: 1n },
          fields: [str("task.name", HOSTILE.taskB), u64("task.id", 2n), str("kind", "task")],
          location: { file: "app/server.mjs", line: 11, column: 3 },
        },
      ],
      statsUpdate: { "1": taskStats(10), "2": taskStats(15) },
    },
    resourceUpdate: {
      newResources: [
        {
          id: { id: 10n },
          metadata: { id: 2n },
          concreteType: "Mutex",
          kind: { kind: { case: "other", value: "Sync" } },
          location: { file: "app/state.mjs", line: 4, column: 1 },
        },
        {
          id: { id: 11n },
          metadata: { id: 2n },
          concreteType: "Mutex",
          kind: { kind: { case: "other", value: "Sync" } },
          location: { file: "app/state.mjs", line: 5, column: 1 },
        },
      ],
      statsUpdate: { "10": mutex(HOSTILE.mutexA, 2n), "11": mutex(HOSTILE.mutexB, 1n) },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 100n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 10n } },
        { id: { id: 101n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 11n } },
      ],
      statsUpdate: { "100": wait(1n, "waiting for lock held by task 2"), "101": wait(2n, "waiting for lock held by task 1") },
    },
  });
  const second = create(UpdateSchema, { now: at(5000) });
  return [first, second];
}
