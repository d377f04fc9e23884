/**
 * Healthy shapes from issue 13 that used to raise false alarms: nothing the
 * accuracy corpus counts may come out of them.
 */
import { describe, expect, it } from "vitest";
import { MS, T0, type UpdateBuilder } from "../testing/fixtures.js";
import { observeScene, resource, task, verdict, wait } from "../testing/scenario.js";

describe("healthy shapes raise no alarm", () => {
  it("actor request/reply over a oneshot: the reply's sender is not known yet", () => {
    const store = observeScene((b) => {
      task(b, 1n, "client");
      task(b, 2n, "worker");
      // The client sent the request (with the reply's sender half); the worker received it and is slow.
      resource(b, 10n, "Channel", "requests", { capacity: 8n, len: 0n, "insight.owners": "sender:1,receiver:2" });
      resource(b, 11n, "Oneshot", "reply", { "insight.owners": "receiver:1" });
      resource(b, 12n, "Sleep", "slow work", {}, "Timer");
      wait(b, 20n, "Receiver::await", 11n, 1n);
      wait(b, 21n, "Sleep::new_timeout", 12n, 2n);
    });
    expect(verdict(store)).toEqual([]);
  });

  it("actor request/reply where the worker waits for the next request meanwhile", () => {
    const store = observeScene((b) => {
      task(b, 1n, "client");
      task(b, 2n, "worker");
      resource(b, 10n, "Channel", "requests", { capacity: 8n, len: 0n, "insight.owners": "sender:1,receiver:2" });
      resource(b, 11n, "Oneshot", "reply", { "insight.owners": "receiver:1" });
      wait(b, 20n, "Receiver::await", 11n, 1n);
      wait(b, 21n, "Channel::recv", 10n, 2n);
    });
    expect(verdict(store)).toEqual([]);
  });

  it("fan-in: producers call send on the consumer's channel", () => {
    const store = observeScene((b) => {
      task(b, 1n, "aggregator");
      task(b, 2n, "producer-a");
      task(b, 3n, "producer-b", "running");
      resource(b, 10n, "Channel", "items", { capacity: 4n, len: 0n, "insight.owners": "receiver:1,sender:2,sender:3" });
      resource(b, 12n, "Sleep", "tick", {}, "Timer");
      wait(b, 20n, "Channel::recv", 10n, 1n);
      wait(b, 21n, "Sleep::new_timeout", 12n, 2n);
    });
    expect(verdict(store)).toEqual([]);
  });

  it("Notify notified from elsewhere, or from a signal handler (no notifier task)", () => {
    const store = observeScene((b) => {
      task(b, 1n, "reloader");
      task(b, 2n, "ticker");
      task(b, 3n, "on-signal");
      resource(b, 10n, "Notify", "reload", { "insight.owners": "notifier:2" });
      resource(b, 11n, "Notify", "sighup", {});
      resource(b, 12n, "Sleep", "every 5s", {}, "Timer");
      wait(b, 20n, "Notify::notified", 10n, 1n);
      wait(b, 21n, "Sleep::new_timeout", 12n, 2n);
      wait(b, 22n, "Notify::notified", 11n, 3n);
    });
    expect(verdict(store)).toEqual([]);
  });

  it("a lock whose holder finished without a leak proof is no error: the guard may be released elsewhere", () => {
    const store = observeScene((b) => {
      task(b, 1n, "waiter");
      b.task({ span: 102n, id: 2n, name: "handed-off" }).taskStats(102n, { created: T0, dropped: T0 + MS, polls: 1n, started: T0, ended: T0 + MS });
      resource(b, 10n, "Mutex", "state", { locked: true, "insight.owners": "holder:2" });
      wait(b, 20n, "Mutex::lock", 10n, 1n);
    });
    expect(verdict(store)).toEqual([]);
  });

  it("a semaphore with free permits left, or a busy holder, is no starvation", () => {
    const free = observeScene((b) => {
      task(b, 1n, "holder");
      task(b, 2n, "queued");
      resource(b, 10n, "Semaphore", "pool", { "insight.capacity": 3n, permits: 1n, "insight.owners": "permit:1,permit:1" });
      wait(b, 20n, "Semaphore::acquire", 10n, 2n, { "insight.requested": 2n });
    });
    expect(verdict(free)).toEqual([]);
    const busy = observeScene((b) => {
      task(b, 1n, "holder", "running");
      task(b, 2n, "queued");
      resource(b, 10n, "Semaphore", "pool", { "insight.capacity": 1n, permits: 0n, "insight.owners": "permit:1" });
      wait(b, 20n, "Semaphore::acquire", 10n, 2n);
    });
    expect(verdict(busy)).toEqual([]);
  });

  it("a proven-stuck task is not claimed at its first update", () => {
    const store = observeScene((b) => {
      task(b, 1n, "parked", "stuck");
    }, 1);
    expect(verdict(store)).toEqual([]);
  });

  it("a request or main whose own code finished proves nothing: other code ends them", () => {
    const store = observeScene((b) => {
      b.task({ span: 101n, id: 1n, name: "GET /events", kind: "request" }).taskStats(101n, {
        created: T0,
        polls: 1n,
        started: T0,
        ended: T0 + MS,
        clones: 1n,
        drops: 1n,
      });
      b.task({ span: 102n, id: 2n, name: "main", kind: "main" }).taskStats(102n, {
        created: T0,
        polls: 1n,
        started: T0,
        ended: T0 + MS,
        clones: 1n,
        drops: 1n,
      });
    });
    expect(verdict(store)).toEqual([]);
  });

  it("a task with wakers held and no visible wait is idle, not stuck", () => {
    const store = observeScene((b) => {
      task(b, 1n, "fetching");
    });
    expect(verdict(store)).toEqual([]);
  });
});

describe("permits handed on", () => {
  const scene = (withJobs: boolean) => (b: UpdateBuilder) => {
    task(b, 1n, "scheduler");
    resource(b, 10n, "Semaphore", "job_limit", { "insight.capacity": 2n, permits: 0n, "insight.owners": "permit:1,permit:1" });
    wait(b, 20n, "Semaphore::acquire", 10n, 1n);
    if (!withJobs) return;
    resource(b, 11n, "Sleep", "work", {}, "Timer");
    for (const id of [2n, 3n]) {
      b.task({ span: 100n + id, id, name: "job", parents: [101n] }).taskStats(100n + id, {
        created: T0,
        polls: 1n,
        started: T0,
        ended: T0 + MS,
        clones: 2n,
        drops: 1n,
      });
      wait(b, 20n + id, "Sleep::new_timeout", 11n, id);
    }
  };

  it("a scheduler that acquires permits and hands them to the jobs it spawns is not stuck on itself", () => {
    expect(verdict(observeScene(scene(true)))).toEqual([]);
  });

  it("without live spawned tasks to hand them to, holding every permit while asking for one more is a likely deadlock", () => {
    expect(verdict(observeScene(scene(false)))).toEqual(["likely-deadlock: 1"]);
  });
});

describe("transient lost wakers", () => {
  it("a task that reads 0 wakers at two updates but was polled in between is not stuck", () => {
    const store = observeScene((b, update) => {
      b.task({ span: 101n, id: 1n, name: "self-waking" }).taskStats(101n, {
        created: T0,
        polls: 10n + BigInt(update),
        started: T0 + BigInt(update) * MS,
        ended: T0 + BigInt(update) * MS + 1000n,
        clones: 5n,
        drops: 5n,
      });
    }, 3);
    expect(verdict(store)).toEqual([]);
  });
});
