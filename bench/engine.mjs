// Engine benchmark: stats updates applied per second, cycle detection cost as
// the wait-for graph grows, and heap per retained idle task.
//
//   npx tsc -b packages/engine && node --expose-gc bench/engine.mjs
//
// Figures go to BENCHMARKS.md under "## Engine". Builds real protobuf
// Updates (outside the timed regions) and feeds the built engine from dist/.
import { create } from "@bufbuild/protobuf";
import { FieldSchema, IdSchema, PollStatsSchema, UpdateSchema, nanosToDuration, nanosToTimestamp, tasks } from "@async-insight/protocol";
import { IncrementalSccs, RuntimeStore } from "@async-insight/engine";

const T0 = 1_700_000_000_000_000_000n;
const MS = 1_000_000n;
const field = (name, value) =>
  create(FieldSchema, { name: { case: "strName", value: name }, value: typeof value === "bigint" ? { case: "u64Val", value } : { case: "strVal", value } });

function newTasks(from, count) {
  const list = [];
  for (let i = from; i < from + count; i++) {
    list.push(
      create(tasks.TaskSchema, {
        id: create(IdSchema, { id: BigInt(i) }),
        fields: [
          field("kind", "task"),
          field("task.id", BigInt(i)),
          field("task.name", "worker"),
          field("loc.file", "src/server.rs"),
          field("loc.line", 42n),
          field("loc.col", 9n),
        ],
      }),
    );
  }
  return list;
}

function statsFor(round) {
  const t = T0 + BigInt(round) * 1000n * MS;
  return create(tasks.StatsSchema, {
    createdAt: nanosToTimestamp(T0),
    wakes: BigInt(round),
    wakerClones: BigInt(round + 1),
    wakerDrops: BigInt(round),
    lastWake: nanosToTimestamp(t),
    scheduledTime: nanosToDuration(BigInt(round) * MS),
    pollStats: create(PollStatsSchema, {
      polls: BigInt(round + 1),
      firstPoll: nanosToTimestamp(T0 + MS),
      lastPollStarted: nanosToTimestamp(t + MS),
      lastPollEnded: nanosToTimestamp(t + 2n * MS),
      busyTime: nanosToDuration(BigInt(round + 1) * MS),
    }),
  });
}

function update(now, taskUpdate) {
  return create(UpdateSchema, { now: nanosToTimestamp(now), taskUpdate: create(tasks.TaskUpdateSchema, taskUpdate) });
}

function statsThroughput() {
  const TASKS = 10_000;
  const ROUNDS = 30;
  const store = new RuntimeStore({ retainForNs: null });
  store.applyUpdate(update(T0, { newTasks: newTasks(1, TASKS) }));
  const updates = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const stats = statsFor(r);
    const statsUpdate = {};
    // Distinct messages per task so no object is shared across the map.
    for (let i = 1; i <= TASKS; i++) statsUpdate[String(i)] = create(tasks.StatsSchema, stats);
    updates.push(update(T0 + BigInt(r) * 1000n * MS + 500n * MS, { statsUpdate }));
  }
  // Warm up on the first few rounds, time the rest.
  for (const u of updates.slice(0, 5)) store.applyUpdate(u);
  const timed = updates.slice(5);
  const start = process.hrtime.bigint();
  for (const u of timed) store.applyUpdate(u);
  const ns = Number(process.hrtime.bigint() - start);
  const applied = timed.length * TASKS;
  return { applied, seconds: ns / 1e9, perSecond: applied / (ns / 1e9) };
}

/** A random graph of `edges` edges over edges/2 nodes, with planted cycles. */
function cycleCost(edges) {
  const nodes = Math.max(2, Math.floor(edges / 2));
  let seed = 12345;
  const rand = (n) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const adjacency = Array.from({ length: nodes }, () => []);
  for (let e = 0; e < edges; e++) adjacency[rand(nodes)].push(`n${rand(nodes)}`);
  const g = new IncrementalSccs();
  for (let i = 0; i < nodes; i++) g.setEdges(`n${i}`, adjacency[i]);
  const edgeCount = g.edgeCount;
  const fullStart = process.hrtime.bigint();
  g.update();
  const fullMs = Number(process.hrtime.bigint() - fullStart) / 1e6;
  // Incremental: change one node's edges, 200 times, and average.
  const ROUNDS = 200;
  let incrementalNs = 0;
  for (let k = 0; k < ROUNDS; k++) {
    const v = rand(nodes);
    g.setEdges(`n${v}`, [`n${rand(nodes)}`]);
    const s = process.hrtime.bigint();
    g.update();
    incrementalNs += Number(process.hrtime.bigint() - s);
  }
  return { edges: edgeCount, nodes, fullMs, incrementalMs: incrementalNs / ROUNDS / 1e6 };
}

/** A wait-for graph shaped like a program: chains of tasks waiting on resources held by the next. */
function chainCost(edges) {
  const g = new IncrementalSccs();
  const tasksCount = Math.floor(edges / 2);
  for (let i = 0; i < tasksCount; i++) {
    g.setEdges(`t${i}`, [`r${i}`]);
    // Every 50th task closes a ring of 50: a deadlock each.
    const next = i % 50 === 49 ? i - 49 : i + 1;
    g.setEdges(`r${i}`, [`t${next}`]);
  }
  const edgeCount = g.edgeCount;
  const start = process.hrtime.bigint();
  g.update();
  const fullMs = Number(process.hrtime.bigint() - start) / 1e6;
  let closed = 0;
  for (const c of g.components()) if (c.closed) closed++;
  const s = process.hrtime.bigint();
  g.setEdges("t0", []);
  g.update();
  const incrementalMs = Number(process.hrtime.bigint() - s) / 1e6;
  return { edges: edgeCount, fullMs, incrementalMs, deadlocks: closed };
}

function memoryPerIdleTask() {
  if (typeof globalThis.gc !== "function") return undefined;
  const COUNT = 100_000;
  const BATCH = 5_000;
  globalThis.gc();
  // Timelines keep their entries in typed arrays, whose bytes live outside the JS heap.
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = used();
  const store = new RuntimeStore({ retainForNs: null });
  for (let from = 1; from <= COUNT; from += BATCH) {
    const statsUpdate = {};
    for (let i = from; i < from + BATCH; i++) statsUpdate[String(i)] = statsFor(1);
    store.applyUpdate(update(T0 + 1000n * MS, { newTasks: newTasks(from, BATCH), statsUpdate }));
  }
  globalThis.gc();
  const after = used();
  const idle = store.tasks().filter((t) => t.state === "idle").length;
  return { tasks: store.taskCount, idle, bytesPerTask: (after - before) / COUNT };
}

const stats = statsThroughput();
console.log(`stats updates: ${stats.applied} applied in ${stats.seconds.toFixed(3)} s = ${Math.round(stats.perSecond).toLocaleString("en-US")}/s`);
for (const edges of [1_000, 10_000, 100_000]) {
  const r = cycleCost(edges);
  console.log(`random graph ${r.edges} edges: full SCC pass ${r.fullMs.toFixed(1)} ms, one-node change ${r.incrementalMs.toFixed(3)} ms`);
}
for (const edges of [1_000, 10_000, 100_000]) {
  const r = chainCost(edges);
  console.log(
    `wait-for rings ${r.edges} edges (${r.deadlocks} deadlocks): full pass ${r.fullMs.toFixed(1)} ms, one-wait change ${r.incrementalMs.toFixed(3)} ms`,
  );
}
const mem = memoryPerIdleTask();
if (mem) console.log(`memory: ${mem.tasks} tasks (${mem.idle} idle) retained, ${Math.round(mem.bytesPerTask)} bytes per task`);
else console.log("memory: run with --expose-gc to measure");
