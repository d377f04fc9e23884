/**
 * The three lints for library resources (pools, limiters, locks), on the
 * broken shapes they name and on the healthy shapes that must stay quiet,
 * from updates shaped as the adapters publish them
 * (docs/engine.md, "Library resources").
 */
import { describe, expect, it } from "vitest";
import { RuntimeStore } from "../store/store.js";
import { MS, S, T0, UpdateBuilder, type Value } from "../testing/fixtures.js";
import { messageOf, span, verdict } from "../testing/scenario.js";

type Mode = "idle" | "running" | "scheduled" | "stuck";

/** A task polled twice, its last poll ending at `ended`; `stuck` has no waker left (the GC proof). */
function holder(b: UpdateBuilder, id: bigint, name: string, ended: bigint, mode: Mode = "idle"): void {
  b.task({ span: span(id), id, name, file: "app.mjs", line: Number(id) }).taskStats(span(id), {
    created: T0,
    polls: 2n,
    started: mode === "running" ? ended + MS : ended - MS,
    ended,
    wakes: 1n,
    lastWake: mode === "scheduled" ? ended + MS : ended - 2n * MS,
    clones: 2n,
    drops: mode === "stuck" ? 2n : 1n,
  });
}

function res(b: UpdateBuilder, resourceSpan: bigint, type: string, values: Record<string, Value>): void {
  b.resource({ span: resourceSpan, type, kind: "Sync", file: "app.mjs", line: Number(resourceSpan) }).resourceStats(resourceSpan, values);
}

function op(b: UpdateBuilder, opSpan: bigint, source: string, resourceSpan: bigint, task: bigint, created: bigint, reason?: string): void {
  b.asyncOp({ span: opSpan, source, resource: resourceSpan, file: "app.mjs", line: Number(opSpan) }).opStats(
    opSpan,
    span(task),
    reason ? { "insight.reason": reason } : {},
    { created },
  );
}

/** A fetch that task `id` awaits since `created` (a plain promise resource: nobody named can settle it). */
function fetching(b: UpdateBuilder, id: bigint, created: bigint): void {
  res(b, 50n + id, "Fetch", { "insight.awaited": "fetch GET https://pricing/quote" });
  op(b, 80n + id, "Fetch::await", 50n + id, id, created, "waiting for fetch GET https://pricing/quote");
}

/** The scene applied at each of `times` (absolute `now`s), as a live console sees it. */
function observeAt(times: readonly bigint[], scene: (b: UpdateBuilder, now: bigint) => void): RuntimeStore {
  const store = new RuntimeStore({ retainForNs: null });
  const b = new UpdateBuilder();
  for (const now of times) {
    scene(b, now);
    store.applyUpdate(b.build(now));
  }
  return store;
}

const LIB = { "insight.library": "generic-pool@3.9.0" };
/** Two updates 1 s apart, 10 s after T0: holders first seen at 10 s, so idle for 1 s at most by their `since`. */
const BRIEF = [T0 + 10n * S, T0 + 11n * S];
/** Two updates 31 s apart: long enough for a wait to count as stuck (30 s). */
const LONG = [T0 + S, T0 + 32n * S];

/** Pool orders-db, 2/2 connections held by 4 and 7, three requests (9, 10, 11) queued. */
function pool(b: UpdateBuilder, extra: Record<string, Value> = {}): void {
  res(b, 10n, "Pool", {
    ...LIB,
    "insight.name": "orders-db",
    "insight.capacity": 2n,
    "insight.in_use": 2n,
    "insight.pending": 3n,
    "insight.owners": "holder:4,holder:7",
    ...extra,
  });
  for (const id of [9n, 10n, 11n]) {
    holder(b, id, `GET /orders/${id}`, T0 + 2n * MS);
    op(b, 20n + id, "Pool::acquire", 10n, id, T0 + MS, "waiting for a pool connection: 2/2 checked out by tasks 4, 7");
  }
}

describe("pool-exhausted-by-idle-holders", () => {
  it("every connection held by a task idle on something else while requests queue", () => {
    const store = observeAt(LONG, (b) => {
      pool(b);
      for (const id of [4n, 7n]) {
        holder(b, id, `GET /report/${id}`, T0 + 2n * MS);
        fetching(b, id, T0 + MS);
      }
    });
    expect(verdict(store)).toEqual(["pool-exhausted-by-idle-holders: 4,7,9,10,11"]);
    expect(messageOf(store, "pool-exhausted-by-idle-holders")).toEqual([
      'pool orders-db: 2/2 connections held by idle tasks 4 "GET /report/4", 7 "GET /report/7" (no progress for at least 31.00 s; 4: waiting for fetch GET https://pricing/quote; 7: waiting for fetch GET https://pricing/quote); 3 tasks waiting for a connection.',
    ]);
  });

  it("nested acquire with an acquire timeout: no deadlock, a warning that the waits will fail", () => {
    const store = observeAt(BRIEF, (b) => {
      res(b, 10n, "Pool", {
        ...LIB,
        "insight.name": "orders-db",
        "insight.capacity": 2n,
        "insight.in_use": 2n,
        "insight.timeout_ms": 5000n,
        "insight.owners": "holder:4,holder:7",
      });
      for (const id of [4n, 7n]) {
        holder(b, id, `GET /orders/${id}`, T0 + 2n * MS);
        op(b, 20n + id, "Pool::acquire", 10n, id, T0 + MS);
      }
    });
    expect(verdict(store)).toEqual(["pool-exhausted-by-idle-holders: 4,7"]);
    expect(messageOf(store, "pool-exhausted-by-idle-holders")[0]).toMatch(/; 2 tasks waiting for a connection\. These waits will fail after 5000 ms\.$/);
  });

  it("healthy: a busy pool whose holders are running or scheduled while waiters get served", () => {
    const store = observeAt(LONG, (b, now) => {
      pool(b);
      holder(b, 4n, "GET /a", now - MS, "running");
      holder(b, 7n, "GET /b", now - 2n * MS, "scheduled");
    });
    expect(verdict(store)).toEqual([]);
  });

  it("healthy: holders awaiting a slow query that is still moving (polled under a second ago)", () => {
    const store = observeAt(LONG, (b, now) => {
      pool(b);
      for (const id of [4n, 7n]) {
        holder(b, id, `GET /slow/${id}`, now - 300n * MS);
        res(b, 50n + id, "Socket", { "insight.awaited": "socket data" });
        op(b, 80n + id, "Socket::await", 50n + id, id, now - 300n * MS, "waiting for socket data");
      }
    });
    expect(verdict(store)).toEqual([]);
  });

  it("healthy: holders idle for seconds on a slow query (socket data), under the 30 s of a stuck await, while requests queue", () => {
    const store = observeAt([T0 + S, T0 + 12n * S], (b) => {
      pool(b);
      for (const id of [4n, 7n]) {
        holder(b, id, `GET /slow/${id}`, T0 + 2n * MS);
        res(b, 50n + id, "Socket", { "insight.awaited": "socket data" });
        op(b, 80n + id, "Socket::await", 50n + id, id, T0 + MS, "waiting for socket data");
      }
    });
    expect(verdict(store)).toEqual([]);
  });

  it("healthy: a free connection (in use below capacity), or one checked out outside any task", () => {
    const idle = (extra: Record<string, Value>) =>
      observeAt(LONG, (b) => {
        pool(b, extra);
        for (const id of [4n, 7n]) {
          holder(b, id, `t${id}`, T0 + 2n * MS);
          fetching(b, id, T0 + MS);
        }
      });
    expect(verdict(idle({ "insight.capacity": 3n }))).toEqual([]);
    expect(verdict(idle({ "insight.owners": "holder:4" }))).toEqual([]);
  });

  it("healthy: a pool with an acquire timeout whose holders make progress", () => {
    const store = observeAt(LONG, (b, now) => {
      pool(b, { "insight.timeout_ms": 2000n });
      for (const id of [4n, 7n]) {
        holder(b, id, `GET /q/${id}`, now - 100n * MS);
        fetching(b, id, now - 100n * MS);
      }
    });
    expect(verdict(store)).toEqual([]);
  });
});

/** Limiter "fetches" (p-limit), 2/2 slots held by 3 and 5, tasks 8 and 9 queued. */
function limiter(b: UpdateBuilder): void {
  res(b, 10n, "Limiter", {
    "insight.library": "p-limit@6.2.0",
    "insight.name": "fetches",
    "insight.capacity": 2n,
    "insight.in_use": 2n,
    "insight.pending": 2n,
    "insight.owners": "holder:3,holder:5",
  });
  for (const id of [8n, 9n]) {
    holder(b, id, `job-${id}`, T0 + 2n * MS);
    op(b, 20n + id, "Limiter::run", 10n, id, T0 + MS, "waiting for a limiter slot: 2/2 running (tasks 3, 5)");
  }
}

describe("limiter-slots-held-by-stuck", () => {
  it("every slot held by a task blocked elsewhere for over 30 s while work queues", () => {
    const store = observeAt(LONG, (b) => {
      limiter(b);
      for (const id of [3n, 5n]) {
        holder(b, id, `job-${id}`, T0 + 2n * MS);
        fetching(b, id, T0 + MS);
      }
    });
    expect(verdict(store)).toEqual(["limiter-slots-held-by-stuck: 3,5,8,9"]);
    expect(messageOf(store, "limiter-slots-held-by-stuck")).toEqual([
      'limiter fetches: 2/2 slots held by tasks 3 "job-3", 5 "job-5", blocked elsewhere for at least 31.00 s (3: waiting for fetch GET https://pricing/quote; 5: waiting for fetch GET https://pricing/quote); 2 tasks queued behind them.',
    ]);
  });

  it("slots held by tasks proven never to be woken: the holders are never-woken errors, the limiter says who queues", () => {
    const store = observeAt(BRIEF, (b) => {
      limiter(b);
      for (const id of [3n, 5n]) {
        holder(b, id, `job-${id}`, T0 + 2n * MS, "stuck");
        res(b, 50n + id, "Promise", { "insight.awaited": "a promise created at lib/rpc.js:4:9" });
        op(b, 80n + id, "Promise::await", 50n + id, id, T0 + MS);
      }
    });
    expect(verdict(store)).toEqual(["limiter-slots-held-by-stuck: 3,5,8,9", "never-woken: 3", "never-woken: 5"]);
    expect(messageOf(store, "limiter-slots-held-by-stuck")[0]).toMatch(
      /^limiter fetches: 2\/2 slots held by tasks 3 "job-3", 5 "job-5", proven never to be woken \(/,
    );
  });

  it("healthy: a limiter at full concurrency with every slot doing I/O that moves", () => {
    const store = observeAt(LONG, (b, now) => {
      limiter(b);
      for (const id of [3n, 5n]) {
        holder(b, id, `job-${id}`, now - 200n * MS);
        fetching(b, id, now - 200n * MS);
      }
    });
    expect(verdict(store)).toEqual([]);
  });

  it("healthy: slow I/O idle for seconds but under the 30 s of a stuck await", () => {
    const store = observeAt([T0 + S, T0 + 12n * S], (b) => {
      limiter(b);
      for (const id of [3n, 5n]) {
        holder(b, id, `job-${id}`, T0 + 2n * MS);
        fetching(b, id, T0 + MS);
      }
    });
    expect(verdict(store)).toEqual([]);
  });
});

/** async-mutex Mutex "cache-lock" held by 7, tasks 9 and 11 queued on it. */
function lock(b: UpdateBuilder, extra: Record<string, Value> = {}): void {
  res(b, 10n, "Mutex", { "insight.library": "async-mutex@0.5.0", "insight.name": "cache-lock", locked: true, "insight.owners": "holder:7", ...extra });
  for (const id of [9n, 11n]) {
    holder(b, id, `reader-${id}`, T0 + 2n * MS);
    op(b, 20n + id, "Mutex::acquire", 10n, id, T0 + MS, "waiting for lock held by task 7");
  }
}

describe("lock-held-across-stuck-await", () => {
  it("a lock held across an await pending for over 30 s while others queue; lock-held-while-idle hands over", () => {
    const store = observeAt(LONG, (b) => {
      lock(b);
      holder(b, 7n, "refresher", T0 + 2n * MS);
      fetching(b, 7n, T0 + MS);
    });
    expect(verdict(store)).toEqual(["lock-held-across-stuck-await: 7,9,11"]);
    expect(messageOf(store, "lock-held-across-stuck-await")).toEqual([
      'mutex cache-lock is held by task 7 "refresher" across an await that has not settled for 31.00 s (waiting for fetch GET https://pricing/quote at app.mjs:87:5); 2 tasks are queued for it: 9 "reader-9", 11 "reader-11".',
    ]);
  });

  it("idle for seconds but under 30 s: lock-held-while-idle, not stuck yet", () => {
    const store = observeAt([T0 + S, T0 + 12n * S], (b) => {
      lock(b);
      holder(b, 7n, "refresher", T0 + 2n * MS);
      fetching(b, 7n, T0 + MS);
    });
    expect(verdict(store)).toEqual(["lock-held-while-idle: 7,9,11"]);
  });

  it("a holder proven never to be woken: never-woken for it, and the lock names who queues (with a lock timeout, their waits fail)", () => {
    const store = observeAt(BRIEF, (b) => {
      lock(b, { "insight.timeout_ms": 30000n });
      holder(b, 7n, "refresher", T0 + 2n * MS, "stuck");
      res(b, 57n, "Promise", { "insight.awaited": "a promise created at lib/cache.js:8:3" });
      op(b, 87n, "Promise::await", 57n, 7n, T0 + MS, "waiting for a promise created at lib/cache.js:8:3");
    });
    expect(verdict(store)).toEqual(["lock-held-across-stuck-await: 7,9,11", "never-woken: 7"]);
    expect(messageOf(store, "lock-held-across-stuck-await")).toEqual([
      'mutex cache-lock is held by task 7 "refresher" across an await that can never settle (waiting for a promise created at lib/cache.js:8:3 at app.mjs:87:5) (proven: nothing that can still run can wake it); 2 tasks are queued for it: 9 "reader-9", 11 "reader-11". Their waits will fail after 30000 ms.',
    ]);
  });

  it("healthy: contention on a lock whose holder keeps running", () => {
    const store = observeAt(LONG, (b, now) => {
      lock(b);
      holder(b, 7n, "writer", now - MS, "running");
    });
    expect(verdict(store)).toEqual([]);
  });

  it("the project's own Mutex is a lock too", () => {
    const store = observeAt(LONG, (b) => {
      res(b, 10n, "Mutex", { "insight.name": "ledger", locked: true, "insight.owners": "holder:7" });
      holder(b, 9n, "reader", T0 + 2n * MS);
      op(b, 29n, "Mutex::lock", 10n, 9n, T0 + MS);
      holder(b, 7n, "refresher", T0 + 2n * MS);
      fetching(b, 7n, T0 + MS);
    });
    expect(messageOf(store, "lock-held-across-stuck-await")).toEqual([
      'ledger is held by task 7 "refresher" across an await that has not settled for 31.00 s (waiting for fetch GET https://pricing/quote at app.mjs:87:5); 1 task is queued for it: 9 "reader".',
    ]);
  });
});
