/**
 * The Node accuracy corpus: every program in this directory with the verdict
 * its code deserves, written from what the program truly does (never from
 * what the tool says), at the level the evidence contract allows
 * (docs/model.md, issue 13):
 * - a cycle through certain freers only (lock holders, permit holders, a
 *   joined task), or a group of tasks that garbage collection proves nothing
 *   can resume (their primitives are referenced by nobody else), is a
 *   `deadlock-cycle`;
 * - a cycle that needs possible freers (the tasks that used a channel end)
 *   through long-lived module-scope primitives is a `likely-deadlock`: other
 *   code could in principle still reach them;
 * - a wait nothing can complete (a leaked guard, a promise nobody holds the
 *   resolver of) is `never-woken`;
 * - held locks or permits while their holders idle and others queue are
 *   `lock-held-while-idle` / `permits-held-while-idle`, naming the holders and
 *   the queued tasks;
 * - library pools and queues (generic-pool, p-queue, async-mutex through the
 *   adapters) follow the same rules: connections held by tasks each waiting
 *   for another from the same pool are a `deadlock-cycle`; a pool full of idle
 *   holders is `pool-exhausted-by-idle-holders`; slots or a lock held by tasks
 *   proven stuck are `limiter-slots-held-by-stuck` / `lock-held-across-stuck-await`
 *   (besides the holders' own `never-woken`).
 * `attach` says whether `check` attaches before the problem forms or after.
 */
import { linesOf, type NodeCase } from "./run-case.js";

const clean = "clean" as const;
const times = (name: string, n: number): string[] => Array.from({ length: n }, () => name);

export const healthyCases: readonly NodeCase[] = [
  { name: "mutex-contention", attach: "during", verdict: clean },
  { name: "semaphore-contention", attach: "during", verdict: clean },
  { name: "bounded-pipeline", attach: "during", verdict: clean },
  { name: "notify-periodic", attach: "during", verdict: clean },
  { name: "notify-signal", attach: "during", verdict: clean },
  { name: "actor-oneshot-reply", attach: "during", verdict: clean },
  { name: "fan-in", attach: "during", verdict: clean },
  { name: "fan-out", attach: "during", verdict: clean },
  { name: "timeout-signal", attach: "during", verdict: clean },
  { name: "abort-cancel", attach: "during", verdict: clean },
  { name: "handles-passed", attach: "during", verdict: clean },
  { name: "guard-to-timer", attach: "during", verdict: clean },
  { name: "long-idle-wait", attach: "during", verdict: clean },
  { name: "barrier-rounds", attach: "during", verdict: clean },
  { name: "rwlock-contention", attach: "during", verdict: clean },
  { name: "permit-handoff", attach: "during", verdict: clean },
  { name: "http-service", attach: "during", verdict: clean },
  { name: "guard-handoff", attach: "during", verdict: clean },
  { name: "barrier-late-party", attach: "during", verdict: clean },
  { name: "consumer-restart", attach: "during", verdict: clean },
  { name: "self-feeding-queue", attach: "during", verdict: clean },
  { name: "slow-io-pool", attach: "during", verdict: clean },
  { name: "signal-bridge", attach: "during", verdict: clean },
  { name: "child-exit-wait", attach: "during", verdict: clean },
  { name: "pending-rpc-map", attach: "during", verdict: clean },
  { name: "worker-thread-reply", attach: "during", verdict: clean },
  { name: "long-poll-request", attach: "during", verdict: clean },
  { name: "gossip-peers", attach: "during", verdict: clean },
  // Tasks idle for seconds and then go on, resumed by what real services use (events, sockets,
  // streams, workers, other tasks, thenables, timers, finalizers...): check attaches before the
  // wait, so the GC proof sweeps while they wait and must prove none of them stuck.
  { name: "once-registry", attach: "before", verdict: clean },
  { name: "callback-apis", attach: "before", verdict: clean },
  { name: "socket-data-wait", attach: "before", verdict: clean },
  { name: "rpc-over-tcp", attach: "before", verdict: clean },
  { name: "readable-for-await", attach: "before", verdict: clean },
  { name: "readline-stream", attach: "before", verdict: clean },
  { name: "interval-deferred", attach: "before", verdict: clean },
  { name: "worker-resolver", attach: "before", verdict: clean },
  { name: "abort-timeout-race", attach: "before", verdict: clean },
  { name: "single-flight", attach: "before", verdict: clean },
  { name: "thenable-wait", attach: "before", verdict: clean },
  { name: "plain-fn-timer", attach: "before", verdict: clean },
  { name: "emitter-microtask-chain", attach: "before", verdict: clean },
  { name: "long-poll-parked-response", attach: "before", verdict: clean },
  { name: "immediate-retry", attach: "before", verdict: clean },
  { name: "finalization-cleanup", attach: "before", verdict: clean },
  { name: "main-awaits-signal", attach: "before", verdict: clean },
  { name: "atomics-wait-async", attach: "before", verdict: clean },
  { name: "fifo-read", attach: "before", verdict: clean },
  { name: "fetch-slow-upstream", attach: "before", verdict: clean },
  { name: "message-ports", attach: "before", verdict: clean },
  { name: "finalizer-wakes", attach: "before", verdict: clean },
  { name: "request-awaits-job", attach: "before", verdict: clean },
  // Library pools and queues (issue 15), through the adapters: always full, always moving. The
  // fan-outs hold a unit while waiting for another, but the held ones are running work that ends.
  { name: "pool-busy", attach: "during", verdict: clean },
  { name: "pool-fanout", attach: "during", verdict: clean },
  { name: "queue-full-io", attach: "during", verdict: clean },
  // One task fanning calls out over a full p-queue: it waits for slots its own running calls hold,
  // and those free themselves (socket round trips), so they are counted, not owned (docs/adapters.md).
  { name: "limiter-fanout", attach: "during", verdict: clean },
  // pg's pool.query() checks a client out for its one query: a request fanning out queries over a
  // full pool holds nothing itself (unlike pool-fanout, it has no other wait while they run). The
  // window ends inside the first 5 s round, while the pool is full and a query waits.
  { name: "pg-query-fanout", attach: "during", verdict: clean, postgres: true, window: "3s" },
];

export const plantedCases: readonly NodeCase[] = [
  {
    name: "abba-same-name",
    attach: "after",
    verdict: [{ lint: "deadlock-cycle", tasks: ["transfer", "transfer"], lines: linesOf("abba-same-name", "second-lock", "first-lock") }],
  },
  { name: "mutex-ring-3", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: ["stage-1", "stage-2", "stage-3"] }] },
  { name: "mixed-handed-cycle", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: ["writer", "reader", "auditor"] }] },
  { name: "stats-channel-likely", attach: "before", verdict: [{ lint: "likely-deadlock", tasks: ["producer", "consumer"] }] },
  // The mutex lives at module scope and a JS guard can be handed to a timer that releases it, so
  // waiting on a lock the task holds itself is likely, not proven (see docs/model.md, Evidence).
  { name: "self-relock", attach: "after", verdict: [{ lint: "likely-deadlock", tasks: ["resolver"] }] },
  { name: "self-send-local", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: ["batcher"] }] },
  { name: "self-send-module", attach: "before", verdict: [{ lint: "likely-deadlock", tasks: ["retry-worker"] }] },
  { name: "race-leaked-lock", attach: "after", verdict: [{ lint: "never-woken", tasks: ["worker"] }] },
  {
    name: "permit-starvation",
    attach: "after",
    verdict: [{ lint: "permits-held-while-idle", tasks: ["report", "report", "query", "query", "query"] }],
  },
  { name: "never-resolved", attach: "after", verdict: [{ lint: "never-woken", tasks: ["rpc-call"] }] },
  {
    name: "semaphore-abba",
    attach: "before",
    verdict: [{ lint: "likely-deadlock", tasks: ["render", "export"], lines: linesOf("semaphore-abba", "second-acquire", "first-acquire") }],
  },
  { name: "barrier-mutex-cycle", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: ["planner", "builder"] }] },
  { name: "ring-200-mixed", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: times("philosopher", 200) }] },
  // One deadlock of two tasks: each waits on the oneshot whose sender the other holds.
  // Both sides are proven stuck, but the senders travelled in closures and neither was ever used: no
  // evidence says who holds which, so each is told on its own, and neither "waits on itself".
  {
    name: "oneshot-handshake",
    attach: "after",
    verdict: [
      { lint: "never-woken", tasks: ["client"] },
      { lint: "never-woken", tasks: ["server"] },
    ],
  },
  { name: "join-cycle", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: ["registrar", "validate"] }] },
  // As self-relock: its own read guard could sit with a timer.
  { name: "rwlock-upgrade", attach: "after", verdict: [{ lint: "likely-deadlock", tasks: ["migrator"] }] },
  {
    name: "idle-holder-mutex",
    attach: "before",
    verdict: [{ lint: "lock-held-while-idle", tasks: ["refresher", "reader", "reader"] }],
  },
  { name: "channel-pair-likely", attach: "before", verdict: [{ lint: "likely-deadlock", tasks: ["orders", "billing"] }] },
  { name: "forgotten-notify", attach: "after", verdict: [{ lint: "never-woken", tasks: ["subscriber"] }] },
  {
    name: "request-abba",
    attach: "after",
    verdict: [{ lint: "deadlock-cycle", tasks: ["POST /move/north-south", "POST /move/south-north"] }],
  },
  { name: "notify-lost-wakeup", attach: "after", verdict: [{ lint: "never-woken", tasks: ["worker"] }] },
  { name: "main-join-cycle", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: ["main-join-cycle.mjs", "loader"] }] },
  // Library resources (issue 15), through the adapters, on the real libraries.
  {
    name: "pool-nested-acquire",
    attach: "after",
    verdict: [{ lint: "deadlock-cycle", tasks: ["GET /orders", "GET /orders"], lines: linesOf("pool-nested-acquire", "nested-acquire", "outer-acquire") }],
  },
  // A cycle through an async-mutex lock and a generic-pool pool: both sides' holders are certain.
  {
    name: "pool-mutex-cycle",
    attach: "after",
    verdict: [{ lint: "deadlock-cycle", tasks: ["refresh-cache", "GET /prices", "GET /prices"], lines: linesOf("pool-mutex-cycle", "refresher-waits") }],
  },
  { name: "pool-idle-holders", attach: "after", verdict: [{ lint: "pool-exhausted-by-idle-holders", tasks: ["report", "report", "query", "query", "query"] }] },
  // The holder is proven stuck (its own never-woken error); the lock it keeps strands the readers.
  {
    name: "lock-stuck-await",
    attach: "after",
    verdict: [
      { lint: "never-woken", tasks: ["refresher"] },
      { lint: "lock-held-across-stuck-await", tasks: ["refresher", "reader", "reader"] },
    ],
  },
  {
    name: "queue-stuck-slots",
    attach: "after",
    verdict: [
      { lint: "never-woken", tasks: ["sync-job"] },
      { lint: "never-woken", tasks: ["sync-job"] },
      { lint: "limiter-slots-held-by-stuck", tasks: ["sync-job", "sync-job", "queued-job", "queued-job"] },
    ],
  },
];

export const nodeCases: readonly NodeCase[] = [...healthyCases, ...plantedCases];
