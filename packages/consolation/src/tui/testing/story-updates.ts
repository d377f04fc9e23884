/**
 * Real protobuf Updates for tests and benchmarks: the story's service (a
 * writer blocked sending on a full `prototype_channel` whose sole receiver is
 * stuck on a lock the writer holds) and a tokio-style two-mutex deadlock
 * described only through poll ops, as console-subscriber sends it.
 */
import { create } from "@bufbuild/protobuf";
import { UpdateSchema, type Update } from "@insight/protocol";

const NS = 1_000_000_000n;
const ts = (ns: bigint) => ({ seconds: ns / NS, nanos: Number(ns % NS) });
const dur = ts;
const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });
const attr = (name: string, value: string | bigint | boolean) => ({
  field: {
    name: { case: "strName" as const, value: name },
    value: typeof value === "bigint" ? { case: "u64Val" as const, value } : typeof value === "boolean" ? { case: "boolVal" as const, value } : { case: "strVal" as const, value },
  },
});

/** Base instant of every fixture: 1000 s after the epoch. */
export const T0 = 1000n * NS;

interface TaskSpec {
  span: bigint;
  id: bigint;
  name: string;
  kind?: string;
  file: string;
  line: number;
  parent?: bigint;
  busyMs: number;
  polls: bigint;
  wakes?: bigint;
}

function taskUpdate(specs: readonly TaskSpec[], now: bigint) {
  return {
    newTasks: specs.map((t) => ({
      id: { id: t.span },
      metadata: { id: 1n },
      fields: [str("task.name", t.name), u64("task.id", t.id), str("kind", t.kind ?? "task")],
      parents: t.parent ? [{ id: t.parent }] : [],
      location: { file: t.file, line: t.line, column: 3 },
    })),
    statsUpdate: Object.fromEntries(
      specs.map((t) => [
        t.span.toString(),
        {
          createdAt: ts(T0),
          wakes: t.wakes ?? 3n,
          wakerClones: 2n,
          wakerDrops: 1n,
          selfWakes: 0n,
          lastWake: ts(T0 + 500_000_000n),
          scheduledTime: dur(2_000_000n),
          pollStats: {
            polls: t.polls,
            firstPoll: ts(T0 + 1_000_000n),
            lastPollStarted: ts(T0 + 600_000_000n),
            lastPollEnded: ts(T0 + 601_000_000n),
            busyTime: dur(BigInt(t.busyMs) * 1_000_000n),
          },
        },
      ]),
    ),
  };
}

/** The story: two updates 1 s apart, so the cycle is confirmed. */
export function storyUpdates(): Update[] {
  const tasks: TaskSpec[] = [
    { span: 1n, id: 1n, name: "accept_loop", kind: "main", file: "examples/node/prototype-channel/server.js", line: 12, busyMs: 40, polls: 12n },
    { span: 2n, id: 2n, name: "handler GET /prototype", kind: "request", file: "examples/node/prototype-channel/server.js", line: 20, parent: 1n, busyMs: 5, polls: 4n },
    { span: 3n, id: 3n, name: "prototype-writer", file: "examples/node/prototype-channel/server.js", line: 31, parent: 2n, busyMs: 120, polls: 40n },
    { span: 4n, id: 4n, name: "prototype-reader", file: "examples/node/prototype-channel/server.js", line: 45, parent: 2n, busyMs: 30, polls: 9n },
    { span: 5n, id: 5n, name: "metrics-ticker", file: "examples/node/prototype-channel/server.js", line: 60, parent: 1n, busyMs: 2, polls: 100n, wakes: 100n },
  ];
  const first = create(UpdateSchema, {
    now: ts(T0 + 10n * NS),
    newMetadata: {
      metadata: [
        { id: { id: 1n }, metadata: { name: "task", target: "insight", location: { file: "server.js", line: 1 } } },
        { id: { id: 2n }, metadata: { name: "send", target: "insight", location: { file: "examples/node/prototype-channel/server.js", line: 38, column: 11 } } },
        { id: { id: 3n }, metadata: { name: "lock", target: "insight", location: { file: "examples/node/prototype-channel/server.js", line: 50, column: 7 } } },
      ],
    },
    taskUpdate: taskUpdate(tasks, T0 + 10n * NS),
    resourceUpdate: {
      newResources: [
        { id: { id: 100n }, metadata: { id: 1n }, concreteType: "Channel", kind: { kind: { case: "other", value: "Sync" } }, location: { file: "examples/node/prototype-channel/server.js", line: 25 } },
        { id: { id: 101n }, metadata: { id: 1n }, concreteType: "Mutex", kind: { kind: { case: "other", value: "Sync" } }, location: { file: "examples/node/prototype-channel/server.js", line: 26 } },
      ],
      statsUpdate: {
        "100": { createdAt: ts(T0), attributes: [attr("insight.name", "prototype_channel"), attr("capacity", 8n), attr("len", 8n), attr("insight.owners", "receiver:4,sender:3")] },
        "101": { createdAt: ts(T0), attributes: [attr("insight.name", "batch_state"), attr("locked", true), attr("insight.owners", "holder:3")] },
      },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 200n }, metadata: { id: 2n }, source: "Channel::send", resourceId: { id: 100n } },
        { id: { id: 201n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 101n } },
      ],
      statsUpdate: {
        "200": { createdAt: ts(T0 + 2n * NS), taskId: { id: 3n }, attributes: [attr("insight.reason", "send: waiting on channel capacity"), attr("insight.await_line", "await chan.send(value)")] },
        "201": { createdAt: ts(T0 + 2n * NS), taskId: { id: 4n }, attributes: [attr("insight.reason", "waiting for lock held by task 3"), attr("insight.await_line", "const release = await batchState.lock()")] },
      },
    },
  });
  const second = create(UpdateSchema, { now: ts(T0 + 11n * NS), taskUpdate: taskUpdate(tasks, T0 + 11n * NS) });
  return [first, second];
}

/** tokio's shape of the mutex deadlock: holders only visible through poll ops. */
export function tokioDeadlockUpdates(): Update[] {
  const tasks: TaskSpec[] = [
    { span: 7n, id: 5n, name: "transfer-ledger-then-audit", file: "deadlock-app/src/main.rs", line: 56, busyMs: 1, polls: 3n },
    { span: 8n, id: 6n, name: "audit-audit-then-ledger", file: "deadlock-app/src/main.rs", line: 67, busyMs: 1, polls: 2n },
  ];
  const mutex = (id: bigint, line: number) => ({ id: { id }, metadata: { id: 1n }, concreteType: "Mutex", kind: { kind: { case: "other" as const, value: "Sync" } }, location: { file: "deadlock-app/src/main.rs", line } });
  const op = (id: bigint, resource: bigint) => ({ id: { id }, metadata: { id: 1n }, source: "Mutex::lock", resourceId: { id: resource } });
  const poll = (resource: bigint, task: bigint, opId: bigint, isReady: boolean) => ({ metadata: { id: 1n }, resourceId: { id: resource }, name: "poll", taskId: { id: task }, asyncOpId: { id: opId }, isReady });
  const first = create(UpdateSchema, {
    now: ts(T0 + 5n * NS),
    newMetadata: { metadata: [{ id: { id: 1n }, metadata: { name: "runtime.spawn", target: "tokio::task" } }] },
    taskUpdate: taskUpdate(tasks, T0 + 5n * NS),
    resourceUpdate: {
      newResources: [mutex(2n, 47), mutex(4n, 48)],
      statsUpdate: { "2": { createdAt: ts(T0), attributes: [attr("locked", true)] }, "4": { createdAt: ts(T0), attributes: [attr("locked", true)] } },
      newPollOps: [poll(2n, 7n, 300n, true), poll(4n, 8n, 301n, true), poll(4n, 7n, 302n, false), poll(2n, 8n, 303n, false)],
    },
    asyncOpUpdate: {
      newAsyncOps: [op(300n, 2n), op(301n, 4n), op(302n, 4n), op(303n, 2n)],
      statsUpdate: Object.fromEntries([300n, 301n, 302n, 303n].map((id) => [id.toString(), { createdAt: ts(T0 + NS) }])),
    },
  });
  const second = create(UpdateSchema, { now: ts(T0 + 6n * NS), taskUpdate: taskUpdate(tasks, T0 + 6n * NS) });
  return [first, second];
}

/**
 * `count` live tasks with varied names, states and times, for list and
 * benchmark tests. With `statsOnly`, only their stats: what a target sends
 * on each publish after the first snapshot.
 */
export function manyTasksUpdate(count: number, statsOnly = false, second = 20n): Update {
  const specs: TaskSpec[] = Array.from({ length: count }, (_, i) => ({
    span: BigInt(i + 1),
    id: BigInt(i + 1),
    name: `worker-${i}`,
    file: `src/workers/pool-${i % 17}.rs`,
    line: 10 + (i % 90),
    busyMs: i % 500,
    polls: BigInt(i * 3),
  }));
  const full = taskUpdate(specs, T0 + second * NS);
  return create(UpdateSchema, {
    now: ts(T0 + second * NS),
    newMetadata: statsOnly ? undefined : { metadata: [{ id: { id: 1n }, metadata: { name: "runtime.spawn", target: "tokio::task" } }] },
    taskUpdate: statsOnly ? { statsUpdate: full.statsUpdate } : full,
  });
}
