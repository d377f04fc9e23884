/**
 * Real protobuf Updates for tests and benchmarks: the story's service (a
 * writer blocked sending on a full `prototype_channel` whose sole receiver is
 * stuck on a lock the writer holds; the library has proved both stuck, so
 * their wakers are all dropped) and a tokio-style two-mutex deadlock
 * described only through acquire ops, as console-subscriber sends it.
 */
import { create } from "@bufbuild/protobuf";
import { UpdateSchema, type Update } from "@async-insight/protocol";

const NS = 1_000_000_000n;
const ts = (ns: bigint) => ({ seconds: ns / NS, nanos: Number(ns % NS) });
const dur = ts;
const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });
const attr = (name: string, value: string | bigint | boolean) => ({
  field: {
    name: { case: "strName" as const, value: name },
    value:
      typeof value === "bigint"
        ? { case: "u64Val" as const, value }
        : typeof value === "boolean"
          ? { case: "boolVal" as const, value }
          : { case: "strVal" as const, value },
  },
});

/** Base instant of every fixture: 1000 s after the epoch. */
const SCENE_T0 = 1000n * NS;

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
  /** The library proved it stuck (garbage collection): its wakers are all dropped. */
  proven?: boolean;
}

function taskUpdate(specs: readonly TaskSpec[], _now: bigint) {
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
          createdAt: ts(SCENE_T0),
          wakes: t.wakes ?? 3n,
          wakerClones: 2n,
          wakerDrops: t.proven ? 2n : 1n,
          selfWakes: 0n,
          lastWake: ts(SCENE_T0 + 500_000_000n),
          scheduledTime: dur(2_000_000n),
          pollStats: {
            polls: t.polls,
            firstPoll: ts(SCENE_T0 + 1_000_000n),
            lastPollStarted: ts(SCENE_T0 + 600_000_000n),
            lastPollEnded: ts(SCENE_T0 + 601_000_000n),
            busyTime: dur(BigInt(t.busyMs) * 1_000_000n),
          },
        },
      ]),
    ),
  };
}

/** The story: two updates 1 s apart, so the cycle is confirmed. */
export function channelLockDeadlockUpdates(): Update[] {
  const tasks: TaskSpec[] = [
    { span: 1n, id: 1n, name: "accept_loop", kind: "main", file: "examples/node/prototype-channel/server.js", line: 12, busyMs: 40, polls: 12n },
    {
      span: 2n,
      id: 2n,
      name: "handler GET /prototype",
      kind: "request",
      file: "examples/node/prototype-channel/server.js",
      line: 20,
      parent: 1n,
      busyMs: 5,
      polls: 4n,
    },
    {
      span: 3n,
      id: 3n,
      name: "prototype-writer",
      file: "examples/node/prototype-channel/server.js",
      line: 31,
      parent: 2n,
      busyMs: 120,
      polls: 40n,
      proven: true,
    },
    {
      span: 4n,
      id: 4n,
      name: "prototype-reader",
      file: "examples/node/prototype-channel/server.js",
      line: 45,
      parent: 2n,
      busyMs: 30,
      polls: 9n,
      proven: true,
    },
    { span: 5n, id: 5n, name: "metrics-ticker", file: "examples/node/prototype-channel/server.js", line: 60, parent: 1n, busyMs: 2, polls: 100n, wakes: 100n },
  ];
  const first = create(UpdateSchema, {
    now: ts(SCENE_T0 + 10n * NS),
    newMetadata: {
      metadata: [
        { id: { id: 1n }, metadata: { name: "task", target: "insight", location: { file: "server.js", line: 1 } } },
        {
          id: { id: 2n },
          metadata: { name: "send", target: "insight", location: { file: "examples/node/prototype-channel/server.js", line: 38, column: 11 } },
        },
        { id: { id: 3n }, metadata: { name: "lock", target: "insight", location: { file: "examples/node/prototype-channel/server.js", line: 50, column: 7 } } },
      ],
    },
    taskUpdate: taskUpdate(tasks, SCENE_T0 + 10n * NS),
    resourceUpdate: {
      newResources: [
        {
          id: { id: 100n },
          metadata: { id: 1n },
          concreteType: "Channel",
          kind: { kind: { case: "other", value: "Sync" } },
          location: { file: "examples/node/prototype-channel/server.js", line: 25 },
        },
        {
          id: { id: 101n },
          metadata: { id: 1n },
          concreteType: "Mutex",
          kind: { kind: { case: "other", value: "Sync" } },
          location: { file: "examples/node/prototype-channel/server.js", line: 26 },
        },
      ],
      statsUpdate: {
        "100": {
          createdAt: ts(SCENE_T0),
          attributes: [attr("insight.name", "prototype_channel"), attr("capacity", 8n), attr("len", 8n), attr("insight.owners", "receiver:4,sender:3")],
        },
        "101": { createdAt: ts(SCENE_T0), attributes: [attr("insight.name", "batch_state"), attr("locked", true), attr("insight.owners", "holder:3")] },
      },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 200n }, metadata: { id: 2n }, source: "Channel::send", resourceId: { id: 100n } },
        { id: { id: 201n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 101n } },
      ],
      statsUpdate: {
        "200": {
          createdAt: ts(SCENE_T0 + 2n * NS),
          taskId: { id: 3n },
          attributes: [attr("insight.reason", "send: waiting on channel capacity"), attr("insight.await_line", "await chan.send(value)")],
        },
        "201": {
          createdAt: ts(SCENE_T0 + 2n * NS),
          taskId: { id: 4n },
          attributes: [attr("insight.reason", "waiting for lock held by task 3"), attr("insight.await_line", "const release = await batchState.lock()")],
        },
      },
    },
  });
  const second = create(UpdateSchema, { now: ts(SCENE_T0 + 11n * NS), taskUpdate: taskUpdate(tasks, SCENE_T0 + 11n * NS) });
  return [first, second];
}

/** One Channel and the pending sends into it, as the Node library publishes them, over two updates 1 s apart. */
function channelUpdates(
  tasks: readonly TaskSpec[],
  channels: ReadonlyArray<{ id: bigint; name: string; owners: string; unreachable?: boolean; sender: bigint }>,
): Update[] {
  const file = "examples/node/prototype-channel/server.mjs";
  const first = create(UpdateSchema, {
    now: ts(SCENE_T0 + 10n * NS),
    newMetadata: { metadata: [{ id: { id: 1n }, metadata: { name: "send", target: "insight", location: { file, line: 35, column: 29 } } }] },
    taskUpdate: taskUpdate(tasks, SCENE_T0 + 10n * NS),
    resourceUpdate: {
      newResources: channels.map((c) => ({
        id: { id: c.id },
        metadata: { id: 1n },
        concreteType: "Channel",
        kind: { kind: { case: "other" as const, value: "Sync" } },
        location: { file, line: 33 },
      })),
      statsUpdate: Object.fromEntries(
        channels.map((c) => [
          c.id.toString(),
          {
            createdAt: ts(SCENE_T0),
            attributes: [
              attr("insight.name", c.name),
              attr("capacity", 1n),
              attr("len", 1n),
              attr("insight.owners", c.owners),
              ...(c.unreachable ? [attr("insight.unreachable", true)] : []),
            ],
          },
        ]),
      ),
    },
    asyncOpUpdate: {
      newAsyncOps: channels.map((c) => ({ id: { id: c.id + 100n }, metadata: { id: 1n }, source: "Channel::send", resourceId: { id: c.id } })),
      statsUpdate: Object.fromEntries(
        channels.map((c) => [
          (c.id + 100n).toString(),
          { createdAt: ts(SCENE_T0 + 2n * NS), taskId: { id: c.sender }, attributes: [attr("insight.reason", "send: waiting on channel capacity")] },
        ]),
      ),
    },
  });
  return [first, create(UpdateSchema, { now: ts(SCENE_T0 + 11n * NS), taskUpdate: taskUpdate(tasks, SCENE_T0 + 11n * NS) })];
}

/**
 * The Node story as the library now reports it: process-jobs is the only task
 * known to use prototype_channel (it sent into it; nobody ever received).
 * With `proven`, the library's garbage-collection proof has run: the task has
 * no waker left and the channel is unreachable.
 */
export function selfSendUpdates(proven: boolean): Update[] {
  const tasks: TaskSpec[] = [
    { span: 1n, id: 1n, name: "server.mjs", kind: "main", file: "examples/node/prototype-channel/server.mjs", line: 15, busyMs: 30, polls: 5n },
    { span: 4n, id: 4n, name: "process-jobs", file: "examples/node/prototype-channel/server.mjs", line: 49, parent: 1n, busyMs: 1, polls: 2n, proven },
  ];
  return channelUpdates(tasks, [{ id: 2n, name: "prototype_channel", owners: "sender:4", unreachable: proven, sender: 4n }]);
}

/** A client and a server each blocked sending into the other's full channel: closed only through possible (known-user) ends. */
export function likelyDeadlockUpdates(): Update[] {
  const tasks: TaskSpec[] = [
    { span: 1n, id: 1n, name: "client", file: "examples/node/ping-pong.mjs", line: 10, busyMs: 2, polls: 3n },
    { span: 2n, id: 2n, name: "server", file: "examples/node/ping-pong.mjs", line: 20, busyMs: 2, polls: 3n },
  ];
  return channelUpdates(tasks, [
    { id: 10n, name: "requests", owners: "sender:1,receiver:2", sender: 1n },
    { id: 11n, name: "responses", owners: "sender:2,receiver:1", sender: 2n },
  ]);
}

/** tokio's shape of the mutex deadlock: holders only visible through console-subscriber's acquire ops. */
export function tokioDeadlockUpdates(): Update[] {
  const tasks: TaskSpec[] = [
    { span: 7n, id: 5n, name: "transfer-ledger-then-audit", file: "deadlock-app/src/main.rs", line: 56, busyMs: 1, polls: 3n },
    { span: 8n, id: 6n, name: "audit-audit-then-ledger", file: "deadlock-app/src/main.rs", line: 67, busyMs: 1, polls: 2n },
  ];
  // As console-subscriber lists a tokio Mutex: the lock, and its internal batch semaphore (parent: the lock).
  const kind = { kind: { case: "other" as const, value: "Sync" } };
  const mutex = (id: bigint, line: number) => ({
    id: { id },
    metadata: { id: 1n },
    concreteType: "Mutex",
    kind,
    location: { file: "deadlock-app/src/main.rs", line },
  });
  const semaphore = (id: bigint, lock: bigint) => ({
    id: { id },
    metadata: { id: 1n },
    concreteType: "Semaphore",
    kind,
    isInternal: true,
    parentResourceId: { id: lock },
  });
  // Each lock() is a `Mutex::lock` op on the lock around an `Acquire::new` op on its semaphore, which carries the permits.
  const acquires: Array<{ op: bigint; lock: bigint; task: bigint; granted: boolean }> = [
    { op: 300n, lock: 2n, task: 7n, granted: true },
    { op: 302n, lock: 4n, task: 8n, granted: true },
    { op: 304n, lock: 4n, task: 7n, granted: false },
    { op: 306n, lock: 2n, task: 8n, granted: false },
  ];
  const newAsyncOps = acquires.flatMap((a) => [
    { id: { id: a.op }, metadata: { id: 1n }, source: "Mutex::lock", resourceId: { id: a.lock } },
    { id: { id: a.op + 1n }, metadata: { id: 1n }, source: "Acquire::new", resourceId: { id: a.lock + 1n }, parentAsyncOpId: { id: a.op } },
  ]);
  const opStats = Object.fromEntries(
    acquires.flatMap((a) => {
      const stats = { createdAt: ts(SCENE_T0 + NS), droppedAt: a.granted ? ts(SCENE_T0 + NS + 1_000_000n) : undefined, taskId: { id: a.task } };
      return [
        [a.op.toString(), stats],
        [(a.op + 1n).toString(), { ...stats, attributes: [attr("permits_requested", 1n), attr("permits_obtained", a.granted ? 1n : 0n)] }],
      ];
    }),
  );
  const first = create(UpdateSchema, {
    now: ts(SCENE_T0 + 5n * NS),
    newMetadata: { metadata: [{ id: { id: 1n }, metadata: { name: "runtime.spawn", target: "tokio::task" } }] },
    taskUpdate: taskUpdate(tasks, SCENE_T0 + 5n * NS),
    resourceUpdate: {
      newResources: [mutex(2n, 47), semaphore(3n, 2n), mutex(4n, 48), semaphore(5n, 4n)],
      statsUpdate: Object.fromEntries(
        [2n, 3n, 4n, 5n].map((id) => [id.toString(), { createdAt: ts(SCENE_T0), attributes: id === 2n || id === 4n ? [attr("locked", true)] : [] }]),
      ),
    },
    asyncOpUpdate: { newAsyncOps, statsUpdate: opStats },
  });
  const second = create(UpdateSchema, { now: ts(SCENE_T0 + 6n * NS), taskUpdate: taskUpdate(tasks, SCENE_T0 + 6n * NS) });
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
  const full = taskUpdate(specs, SCENE_T0 + second * NS);
  return create(UpdateSchema, {
    now: ts(SCENE_T0 + second * NS),
    newMetadata: statsOnly ? undefined : { metadata: [{ id: { id: 1n }, metadata: { name: "runtime.spawn", target: "tokio::task" } }] },
    taskUpdate: statsOnly ? { statsUpdate: full.statsUpdate } : full,
  });
}
