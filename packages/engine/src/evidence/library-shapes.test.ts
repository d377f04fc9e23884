/**
 * Library resources (pools, limiters, async-mutex locks) in the wait-for
 * graph, from updates shaped as the adapters publish them
 * (docs/engine.md, "Library resources"): holders are certain and
 * counted per unit, and a wait with a way out (a free unit, a unit held
 * outside any task, a timeout) closes no cycle.
 */
import { describe, expect, it } from "vitest";
import type { UpdateBuilder, Value } from "../testing/fixtures.js";
import { messageOf, observeScene, resource, task, verdict, wait, type TaskMode } from "../testing/scenario.js";

const LIB = { "insight.library": "generic-pool@3.9.0" };

/** Pool "orders-db" (span 10), holders 4 and 7 each blocked on it again; `extra` overrides pool attributes. */
function nestedAcquire(extra: Record<string, Value> = {}, modes: { t4?: TaskMode; t7?: TaskMode } = {}) {
  return (b: UpdateBuilder): void => {
    task(b, 4n, "GET /orders/1", modes.t4);
    task(b, 7n, "GET /orders/2", modes.t7);
    resource(b, 10n, "Pool", "orders-db", {
      ...LIB,
      "insight.capacity": 2n,
      "insight.in_use": 2n,
      "insight.pending": 2n,
      "insight.owners": "holder:4,holder:7",
      ...extra,
    });
    if (modes.t4 !== "running") wait(b, 20n, "Pool::acquire", 10n, 4n, { "insight.reason": "waiting for a pool connection: 2/2 checked out by tasks 4, 7" });
    wait(b, 21n, "Pool::acquire", 10n, 7n, { "insight.reason": "waiting for a pool connection: 2/2 checked out by tasks 4, 7" });
  };
}

describe("pools in the wait-for graph", () => {
  it("nested acquire: 2/2 connections held by tasks each waiting for another is a deadlock-cycle through the pool", () => {
    const store = observeScene(nestedAcquire());
    expect(verdict(store)).toEqual(["deadlock-cycle: 4,7"]);
    expect(messageOf(store, "deadlock-cycle")).toEqual([
      'Tasks 4 "GET /orders/1", 7 "GET /orders/2" wait on each other through pool orders-db and can never make progress: pool orders-db: 2/2 connections held by tasks 4 and 7, each waiting for another connection from it.',
    ]);
    const [cycle] = store.cycles();
    expect(cycle?.basis).toBe("certain");
    expect(cycle?.edges.filter((e) => e.from.kind === "resource").map((e) => e.label)).toEqual(["holds 1 connection (pool)", "holds 1 connection (pool)"]);
  });

  it("pg: Pool::connect waits close the same cycle, and an unnamed pool is named by type, id and file (not its whole path)", () => {
    const store = observeScene((b) => {
      task(b, 4n, "a");
      task(b, 7n, "b");
      b.resource({ span: 10n, type: "Pool", file: "/srv/orders/db.mjs", line: 3 }).resourceStats(10n, {
        "insight.library": "pg@8.13.1",
        "insight.capacity": 2n,
        "insight.in_use": 2n,
        "insight.owners": "holder:4,holder:7",
      });
      wait(b, 20n, "Pool::connect", 10n, 4n);
      wait(b, 21n, "Pool::connect", 10n, 7n);
    });
    expect(messageOf(store, "deadlock-cycle")).toEqual([
      'Tasks 4 "a", 7 "b" wait on each other through Pool 1 at db.mjs:3:1 and can never make progress: Pool 1 at db.mjs:3:1: 2/2 connections held by tasks 4 and 7, each waiting for another connection from it.',
    ]);
  });

  it("a third request queued on the deadlocked pool is downstream: named with the cycle, no problem of its own", () => {
    const store = observeScene((b) => {
      nestedAcquire({ "insight.pending": 3n })(b);
      task(b, 9n, "GET /health/db");
      wait(b, 22n, "Pool::acquire", 10n, 9n);
    });
    expect(verdict(store)).toEqual(["deadlock-cycle: 4,7"]);
    expect(messageOf(store, "deadlock-cycle")[0]).toMatch(/each waiting for another connection from it\. Task 9 "GET \/health\/db" waits behind them\.$/);
    expect([...store.verdicts().downstream]).toEqual([9n]);
    expect(store.cycles()[0]?.blocked).toEqual([9n]);
  });

  it("a free unit (in_use < capacity) is no deadlock: the waiters will be served", () => {
    expect(verdict(observeScene(nestedAcquire({ "insight.capacity": 3n, "insight.in_use": 2n })))).toEqual([]);
  });

  it("a unit checked out outside any task (holders account for fewer units than in use) is no deadlock", () => {
    expect(verdict(observeScene(nestedAcquire({ "insight.owners": "holder:4" })))).toEqual([]);
  });

  it("a holder that is running is no deadlock", () => {
    expect(verdict(observeScene(nestedAcquire({}, { t4: "running" })))).toEqual([]);
  });

  it("with insight.timeout_ms the waits fail by themselves: no deadlock", () => {
    const store = observeScene(nestedAcquire({ "insight.timeout_ms": 5000n }));
    expect(store.cycles()).toEqual([]);
    expect(store.likelyCycles()).toEqual([]);
  });

  it("without insight.capacity the holders are not known to be all of them: at most likely-deadlock", () => {
    const store = observeScene((b) => {
      nestedAcquire()(b);
      resource(b, 10n, "Pool", "orders-db", { ...LIB, "insight.owners": "holder:4,holder:7" });
    });
    expect(verdict(store)).toEqual(["likely-deadlock: 4,7"]);
  });

  it("a mixed cycle: an async-mutex Mutex held by 1, which waits on a pool whose holders wait on that Mutex", () => {
    const store = observeScene((b) => {
      task(b, 1n, "refresh-cache");
      task(b, 2n, "GET /a");
      task(b, 3n, "GET /b");
      resource(b, 10n, "Mutex", "cache-lock", { "insight.library": "async-mutex@0.5.0", locked: true, "insight.capacity": 1n, "insight.owners": "holder:1" });
      resource(b, 11n, "Pool", "orders-db", { ...LIB, "insight.capacity": 2n, "insight.in_use": 2n, "insight.owners": "holder:2,holder:3" });
      wait(b, 20n, "Pool::acquire", 11n, 1n);
      wait(b, 21n, "Mutex::acquire", 10n, 2n);
      wait(b, 22n, "Mutex::acquire", 10n, 3n);
    });
    expect(verdict(store)).toEqual(["deadlock-cycle: 1,2,3"]);
    expect(messageOf(store, "deadlock-cycle")).toEqual([
      'Tasks 1 "refresh-cache", 2 "GET /a", 3 "GET /b" wait on each other through mutex cache-lock, pool orders-db and can never make progress: mutex cache-lock is held by 1 "refresh-cache"; pool orders-db: 2/2 connections held by tasks 2 and 3.',
    ]);
  });

  it("a limiter whose slots run tasks each waiting for another slot: deadlock-cycle naming the limiter", () => {
    const store = observeScene((b) => {
      task(b, 3n, "outer-1");
      task(b, 5n, "outer-2");
      resource(b, 10n, "Limiter", "fetches", {
        "insight.library": "p-limit@6.2.0",
        "insight.capacity": 2n,
        "insight.in_use": 2n,
        "insight.owners": "holder:3,holder:5",
      });
      wait(b, 20n, "Limiter::run", 10n, 3n);
      wait(b, 21n, "Limiter::run", 10n, 5n);
    });
    expect(messageOf(store, "deadlock-cycle")).toEqual([
      'Tasks 3 "outer-1", 5 "outer-2" wait on each other through limiter fetches and can never make progress: limiter fetches: 2/2 slots held by tasks 3 and 5, each waiting for another slot from it.',
    ]);
  });

  it("a wait with insight.timeout_ms is never doomed: a leaked lock it waits on fails it, not strands it", () => {
    const scene = (extra: Record<string, Value>) => (b: UpdateBuilder) => {
      task(b, 1n, "waiter");
      resource(b, 10n, "Mutex", "state", { "insight.library": "async-mutex@0.5.0", locked: true, "insight.leaked": 1n, "insight.owners": "", ...extra });
      wait(b, 20n, "Mutex::acquire", 10n, 1n);
    };
    expect(verdict(observeScene(scene({})))).toEqual(["never-woken: 1"]);
    expect(verdict(observeScene(scene({ "insight.timeout_ms": 1000n })))).toEqual([]);
  });

  it("healthy fan-out: each request holds a connection running a query and waits for another (Promise.all over pool.query)", () => {
    // Unlike nested acquisition, the held connections are in use: each request also awaits its
    // running query (a plain promise the await tracker notes), which ends by itself. A way out.
    const store = observeScene((b) => {
      task(b, 4n, "GET /a");
      task(b, 7n, "GET /b");
      resource(b, 10n, "Pool", "orders-db", { ...LIB, "insight.capacity": 2n, "insight.in_use": 2n, "insight.owners": "holder:4,holder:7" });
      wait(b, 20n, "Pool::connect", 10n, 4n);
      wait(b, 21n, "Pool::connect", 10n, 7n);
      resource(b, 30n, "Promise", "query", { "insight.awaited": "a promise created at node_modules/pg-pool/index.js:45:11" });
      wait(b, 22n, "Promise::await", 30n, 4n);
      wait(b, 23n, "Promise::await", 30n, 7n);
    });
    expect(store.cycles()).toEqual([]);
    expect(store.likelyCycles()).toEqual([]);
  });

  it("library waits get reasons and acquire sides even without insight.reason", () => {
    const store = observeScene((b) => {
      task(b, 1n, "w");
      resource(b, 10n, "PQueue", "jobs", { "insight.library": "p-queue@8.0.1", "insight.capacity": 1n, "insight.in_use": 1n, "insight.owners": "" });
      wait(b, 20n, "PQueue::add", 10n, 1n);
    });
    const [w] = store.waitsOf(1n);
    expect([w?.reason, w?.direction]).toEqual(["waiting for a queue slot", "acquire"]);
    expect(verdict(store)).toEqual([]);
  });
});
