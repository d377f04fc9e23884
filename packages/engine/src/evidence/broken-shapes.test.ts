/**
 * Planted problems from issue 13: each is reported once, by the lint its
 * evidence supports, naming exactly the tasks involved and the grounds.
 */
import { describe, expect, it } from "vitest";
import { MS, T0 } from "../testing/fixtures.js";
import { observeScene, messageOf, resource, span, task, verdict, wait } from "../testing/scenario.js";

describe("problems are found on evidence", () => {
  it("ABBA on two mutexes: certain holders make a deadlock-cycle", () => {
    const store = observeScene((b) => {
      task(b, 1n, "transfer");
      task(b, 2n, "audit");
      resource(b, 10n, "Mutex", "ledger", { locked: true, "insight.owners": "holder:1" });
      resource(b, 11n, "Mutex", "journal", { locked: true, "insight.owners": "holder:2" });
      wait(b, 20n, "Mutex::lock", 11n, 1n);
      wait(b, 21n, "Mutex::lock", 10n, 2n);
    });
    // The holders' idleness is part of the deadlock, not a second problem.
    expect(verdict(store)).toEqual(["deadlock-cycle: 1,2"]);
    expect(messageOf(store, "deadlock-cycle")).toEqual([
      'Tasks 1 "transfer", 2 "audit" wait on each other through ledger, journal and can never make progress: ledger is held by 1 "transfer"; journal is held by 2 "audit".',
    ]);
  });

  it("a 3-task cycle through a Mutex, a full Channel and a oneshot: nothing before the proof, deadlock-cycle after", () => {
    const scene = (mode: "waiting" | "stuck") => (b: Parameters<Parameters<typeof observeScene>[0]>[0]) => {
      task(b, 1n, "a", mode);
      task(b, 2n, "b", mode);
      task(b, 3n, "c", mode);
      // a holds m and awaits a reply whose sender half sits with b (unused, so unknown);
      // b is blocked sending into full jobs, which c received from before; c waits for m.
      resource(b, 10n, "Mutex", "m", { locked: true, "insight.owners": "holder:1" });
      resource(b, 11n, "Channel", "jobs", { capacity: 1n, len: 1n, "insight.owners": "sender:2,receiver:3" });
      resource(b, 12n, "Oneshot", "reply", { "insight.owners": "receiver:1" });
      wait(b, 20n, "Receiver::await", 12n, 1n);
      wait(b, 21n, "Channel::send", 11n, 2n);
      wait(b, 22n, "Mutex::lock", 10n, 3n);
    };
    // Before the proof only the lock evidence is certain: a holds m while idle and c queues.
    expect(verdict(observeScene(scene("waiting")))).toEqual(["lock-held-while-idle: 1,3"]);
    const proven = observeScene(scene("stuck"));
    expect(verdict(proven)).toEqual(["deadlock-cycle: 1,2,3"]);
    expect(messageOf(proven, "deadlock-cycle")).toEqual([
      'Tasks 1 "a", 2 "b", 3 "c" wait on each other through m, jobs, reply and can never make progress: nothing that can still run can wake them.',
    ]);
    expect(messageOf(proven, "lost-waker")).toEqual([]);
  });

  it("closed cycle through possible ends only: likely-deadlock naming who is known", () => {
    const store = observeScene((b) => {
      task(b, 1n, "client");
      task(b, 2n, "server");
      resource(b, 10n, "Channel", "requests", { capacity: 1n, len: 1n, "insight.owners": "sender:1,receiver:2" });
      resource(b, 11n, "Channel", "responses", { capacity: 1n, len: 1n, "insight.owners": "sender:2,receiver:1" });
      wait(b, 20n, "Channel::send", 10n, 1n);
      wait(b, 21n, "Channel::send", 11n, 2n);
    });
    expect(verdict(store)).toEqual(["likely-deadlock: 1,2"]);
    expect(messageOf(store, "likely-deadlock")).toEqual([
      'Likely deadlock: tasks 1 "client", 2 "server" wait on each other through requests, responses; the only task known to receive from requests is 2 "server"; the only task known to receive from responses is 1 "client".',
    ]);
  });

  it("Notify waiters get no error from notifier evidence, at most a likely-deadlock", () => {
    const store = observeScene((b) => {
      task(b, 1n, "waiter");
      task(b, 2n, "notifier");
      resource(b, 10n, "Notify", "ready", { "insight.owners": "notifier:2" });
      resource(b, 11n, "Channel", "work", { capacity: 4n, len: 0n, "insight.owners": "sender:1,receiver:2" });
      wait(b, 20n, "Notify::notified", 10n, 1n);
      wait(b, 21n, "Channel::recv", 11n, 2n);
    });
    expect(verdict(store)).toEqual(["likely-deadlock: 1,2"]);
  });

  it("semaphore permits all held by idle tasks while others queue: permits-held-while-idle", () => {
    const store = observeScene((b) => {
      task(b, 1n, "conn-a");
      task(b, 2n, "conn-b");
      task(b, 3n, "request");
      resource(b, 10n, "Semaphore", "pool", { "insight.capacity": 2n, permits: 0n, "insight.owners": "permit:1,permit:2" });
      resource(b, 11n, "Notify", "upstream", {});
      wait(b, 20n, "Notify::notified", 11n, 1n);
      wait(b, 21n, "Notify::notified", 11n, 2n);
      wait(b, 22n, "Semaphore::acquire", 10n, 3n, { "insight.requested": 1n });
    });
    expect(verdict(store)).toEqual(["permits-held-while-idle: 1,2,3"]);
    expect(messageOf(store, "permits-held-while-idle")).toEqual([
      'Tasks 1 "conn-a", 2 "conn-b" hold all 2 permits of pool and have all been idle for at least 1.00 s; 1 task is waiting for permits.',
    ]);
  });

  it("a leaked lock: never-woken", () => {
    const store = observeScene((b) => {
      task(b, 1n, "waiter");
      resource(b, 10n, "Mutex", "state", { locked: true, "insight.leaked": 1n, "insight.owners": "" });
      wait(b, 20n, "Mutex::lock", 10n, 1n);
    });
    expect(verdict(store)).toEqual(["never-woken: 1"]);
    expect(messageOf(store, "never-woken")).toEqual([
      'Task 1 "waiter" waits (waiting for lock on state) but state is locked and its guard was garbage-collected without being released: it will never be woken.',
    ]);
  });

  it("leaked permits below the request of an unreachable semaphore: never-woken; still reachable: nothing", () => {
    const scene = (requested: bigint, unreachable: boolean) => (b: Parameters<Parameters<typeof observeScene>[0]>[0]) => {
      task(b, 1n, "batch");
      resource(b, 10n, "Semaphore", "slots", {
        "insight.capacity": 3n,
        "insight.leaked": 2n,
        permits: 1n,
        "insight.owners": "",
        "insight.unreachable": unreachable,
      });
      wait(b, 20n, "Semaphore::acquire", 10n, 1n, { "insight.requested": requested });
    };
    expect(verdict(observeScene(scene(2n, true)))).toEqual(["never-woken: 1"]);
    expect(verdict(observeScene(scene(1n, false)))).toEqual([]);
    // A token bucket drops its permits and a refill task adds new ones: reachable, so never doomed.
    expect(verdict(observeScene(scene(2n, false)))).toEqual([]);
  });

  it("a bare never-resolved promise with a proven-stuck task: never-woken, and no lost-waker repeat", () => {
    const store = observeScene((b) => {
      task(b, 1n, "parked", "stuck");
    });
    expect(verdict(store)).toEqual(["never-woken: 1"]);
    expect(messageOf(store, "never-woken")).toEqual(['Task 1 "parked" waits on a promise that nothing still able to run can resolve: it will never be woken.']);
    expect(messageOf(store, "lost-waker")).toEqual([]);
  });

  it("a tokio task awaiting a future that holds no waker (std::future::pending): never-woken", () => {
    const store = observeScene((b) => {
      b.task({ span: 101n, id: 1n, name: "oneshot-holder", target: "tokio::task", file: "src/main.rs", line: 90 }).taskStats(101n, {
        created: T0,
        polls: 1n,
        started: T0,
        ended: T0 + MS,
      });
    });
    expect(messageOf(store, "never-woken")).toEqual([
      'Task 1 "oneshot-holder" waits on a future that nothing still able to run can wake: it will never be woken.',
    ]);
  });

  it("a wait on a dropped resource: never-woken", () => {
    const store = observeScene((b, update) => {
      task(b, 1n, "reader");
      // A dropped resource is announced once; its span may name a new resource afterwards.
      if (update === 0) b.resource({ span: 10n, type: "Channel" }).resourceStats(10n, { "insight.name": "gone" }, { dropped: T0 + MS });
      wait(b, 20n, "Channel::recv", 10n, 1n);
    });
    expect(verdict(store)).toEqual(["never-woken: 1"]);
    expect(messageOf(store, "never-woken")).toEqual([
      'Task 1 "reader" waits (waiting for a message on gone) but gone was dropped while the wait was pending: it will never be woken.',
    ]);
  });
});

describe("more shapes from the corpus", () => {
  it("a task blocked sending into a full channel only it received from: likely before the proof, deadlock after", () => {
    const scene = (mode: "waiting" | "stuck") => (b: Parameters<Parameters<typeof observeScene>[0]>[0]) => {
      task(b, 1n, "retry-worker", mode);
      resource(b, 10n, "Channel", "retries", { capacity: 1n, len: 1n, "insight.owners": "receiver:1,sender:1" });
      wait(b, 20n, "Channel::send", 10n, 1n);
    };
    const before = observeScene(scene("waiting"));
    expect(verdict(before)).toEqual(["likely-deadlock: 1"]);
    expect(messageOf(before, "likely-deadlock")).toEqual([
      'Likely deadlock: task 1 "retry-worker" waits on itself through retries; the only task known to receive from retries is 1 "retry-worker".',
    ]);
    const after = observeScene(scene("stuck"));
    expect(verdict(after)).toEqual(["deadlock-cycle: 1"]);
    expect(messageOf(after, "deadlock-cycle")).toEqual([
      'Task 1 "retry-worker" waits on itself through retries and can never make progress: nothing that can still run can wake it.',
    ]);
  });

  it("a oneshot handshake proven stuck: each side is never-woken, not a deadlock with itself", () => {
    const store = observeScene((b) => {
      task(b, 1n, "client", "stuck");
      task(b, 2n, "server", "stuck");
      // Awaiting a oneshot uses its receiving end; neither sender was used, so nothing links the two.
      resource(b, 10n, "Oneshot", "server_hello", { "insight.unreachable": true, "insight.owners": "receiver:1" });
      resource(b, 11n, "Oneshot", "client_hello", { "insight.unreachable": true, "insight.owners": "receiver:2" });
      wait(b, 20n, "Receiver::await", 10n, 1n);
      wait(b, 21n, "Receiver::await", 11n, 2n);
    });
    // Each is proven stuck; a receiver is not the one to send, so neither "waits on itself".
    expect(verdict(store)).toEqual(["never-woken: 1", "never-woken: 2"]);
    expect(messageOf(store, "deadlock-cycle")).toEqual([]);
  });

  it("proven-stuck tasks on a Notify nobody uses are each never-woken", () => {
    const store = observeScene((b) => {
      task(b, 1n, "w1", "stuck");
      task(b, 2n, "w2", "stuck");
      resource(b, 10n, "Notify", "go", { "insight.unreachable": true });
      wait(b, 20n, "Notify::notified", 10n, 1n);
      wait(b, 21n, "Notify::notified", 10n, 2n);
    });
    expect(verdict(store)).toEqual(["never-woken: 1", "never-woken: 2"]);
    expect(messageOf(store, "never-woken")[0]).toBe(
      'Task 1 "w1" waits (waiting for a notification on go) but go is unreachable and no task that could free it is left: it will never be woken.',
    );
  });

  it("a join cycle is certain; a semaphore ABBA is likely (permits can be handed away)", () => {
    const joins = observeScene((b) => {
      task(b, 1n, "registrar");
      task(b, 2n, "validate");
      resource(b, 10n, "JoinHandle", "validate", { "insight.owners": "task:2" });
      resource(b, 11n, "JoinHandle", "registrar", { "insight.owners": "task:1" });
      wait(b, 20n, "JoinHandle::join", 10n, 1n);
      wait(b, 21n, "JoinHandle::join", 11n, 2n);
    });
    expect(messageOf(joins, "deadlock-cycle")).toEqual([
      'Tasks 1 "registrar", 2 "validate" wait on each other through validate, registrar and can never make progress: validate ends only when 2 "validate" finishes; registrar ends only when 1 "registrar" finishes.',
    ]);
    const permits = observeScene((b) => {
      task(b, 1n, "render");
      task(b, 2n, "export");
      resource(b, 10n, "Semaphore", "gpu", { "insight.capacity": 1n, permits: 0n, "insight.owners": "permit:1" });
      resource(b, 11n, "Semaphore", "disk", { "insight.capacity": 1n, permits: 0n, "insight.owners": "permit:2" });
      wait(b, 20n, "Semaphore::acquire", 11n, 1n);
      wait(b, 21n, "Semaphore::acquire", 10n, 2n);
    });
    // Permits can be handed to a timer or added by any code: the holders are probable, not certain.
    expect(verdict(permits)).toEqual(["likely-deadlock: 1,2"]);
  });

  it("an rwlock upgrade: the reader waits to write behind its own read guard", () => {
    const store = observeScene((b) => {
      task(b, 1n, "migrator");
      resource(b, 10n, "RwLock", "config", { write_locked: false, current_readers: 1n, "insight.owners": "reader:1" });
      wait(b, 20n, "RwLock::write", 10n, 1n);
    });
    // Its read guard could have been handed to a timer that releases it: likely, until proven.
    expect(verdict(store)).toEqual(["likely-deadlock: 1"]);
    expect(messageOf(store, "deadlock-cycle")).toEqual([]);
  });

  it("a busy pipeline that forms a fresh knot at every update never alarms", () => {
    const store = observeScene((b, update) => {
      task(b, 1n, "client");
      task(b, 2n, "server");
      resource(b, 10n, "Channel", "requests", { capacity: 1n, len: 1n, "insight.owners": "sender:1,receiver:2" });
      resource(b, 11n, "Channel", "responses", { capacity: 1n, len: 1n, "insight.owners": "sender:2,receiver:1" });
      // Each update shows new waits: the earlier ones completed in between.
      const base = 20n + BigInt(update) * 10n;
      if (update > 0) b.opStats(base - 10n, span(1n), { "insight.woken_by": 2n }).opStats(base - 9n, span(2n), { "insight.woken_by": 1n });
      wait(b, base, "Channel::send", 10n, 1n);
      wait(b, base + 1n, "Channel::send", 11n, 2n);
    }, 3);
    expect(verdict(store)).toEqual([]);
  });
});

describe("groups with an open end", () => {
  it("a stuck task linked into a group that waits on an unused handle joins it; the story's request does not", () => {
    const store = observeScene((b) => {
      task(b, 1n, "writer", "stuck");
      task(b, 2n, "reader", "stuck");
      task(b, 3n, "auditor", "stuck");
      // writer holds state and fills updates; reader received from updates and awaits ack,
      // whose sender half the auditor holds unused; the auditor waits for state.
      resource(b, 10n, "Mutex", "state", { locked: true, "insight.owners": "holder:1" });
      resource(b, 11n, "Channel", "updates", { capacity: 1n, len: 1n, "insight.owners": "sender:1,receiver:2" });
      resource(b, 12n, "Oneshot", "ack", { "insight.unreachable": true });
      wait(b, 20n, "Channel::send", 11n, 1n);
      wait(b, 21n, "Receiver::await", 12n, 2n);
      wait(b, 22n, "Mutex::lock", 10n, 3n);
    });
    expect(verdict(store)).toEqual(["deadlock-cycle: 1,2,3"]);
  });
});
