import { describe, expect, it } from "vitest";
import { RuntimeStore } from "../index.js";
import { nanosToTimestamp } from "@async-insight/protocol";
import { MS, S, T0, UpdateBuilder } from "../testing/fixtures.js";

/** A live task that has polled and holds a waker (not lost-waker stuck). */
function task(b: UpdateBuilder, span: bigint, name: string, done = false): void {
  b.task({ span, id: span, name }).taskStats(span, {
    created: T0,
    polls: 2n,
    started: T0 + MS,
    ended: T0 + 2n * MS,
    clones: 1n,
    dropped: done ? T0 + 3n * MS : undefined,
  });
}

/** A tokio lock as console-subscriber lists it: the internal batch semaphore first, then the lock it belongs to. */
function lock(b: UpdateBuilder, span: bigint, type: "Mutex" | "RwLock" | "Semaphore", state: Record<string, boolean | bigint>): void {
  b.resource({ span: span + 1n, type: "Semaphore", internal: true, parent: span }).resourceStats(span + 1n, {});
  b.resource({ span, type }).resourceStats(span, state);
}

interface AcquireSpec {
  span: bigint;
  lock: bigint;
  task: bigint;
  source: string;
  requested?: bigint;
  obtained?: bigint;
  /** Finished (dropped) at T0 + this many ms; pending when absent. */
  doneMs?: bigint;
}

/** An acquire as console-subscriber lists it: the inner `Acquire::new` before the method's op it belongs to. */
function acquire(b: UpdateBuilder, a: AcquireSpec): void {
  const requested = a.requested ?? 1n;
  const dropped = a.doneMs !== undefined ? T0 + a.doneMs * MS : undefined;
  b.asyncOp({ span: a.span + 1n, source: "Acquire::new", resource: a.lock + 1n, parent: a.span });
  b.opStats(a.span + 1n, a.task, { permits_requested: requested, permits_obtained: a.obtained ?? (dropped ? requested : 0n) }, { created: T0, dropped });
  b.asyncOp({ span: a.span, source: a.source, resource: a.lock }).opStats(a.span, a.task, {}, { created: T0, dropped });
}

const holders = (store: RuntimeStore, spanId: bigint) => {
  const resource = store.resources().find((r) => r.spanId === spanId)!;
  return store.freersOf(resource.id).map((f) => [f.task, f.role, f.certainty, f.count]);
};

describe("tokio lock holders from console-subscriber's evidence", () => {
  it("finds a deadlock formed before the console attached from the first update alone", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "transfer");
    task(b, 2n, "audit");
    lock(b, 10n, "Mutex", { locked: true });
    lock(b, 20n, "Mutex", { locked: true });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock", doneMs: 1n });
    acquire(b, { span: 200n, lock: 20n, task: 2n, source: "Mutex::lock", doneMs: 2n });
    acquire(b, { span: 300n, lock: 20n, task: 1n, source: "Mutex::lock" });
    acquire(b, { span: 400n, lock: 10n, task: 2n, source: "Mutex::lock" });
    const first = b.build(T0 + S);
    store.applyUpdate(first);
    expect(holders(store, 10n)).toEqual([[1n, "holder", "certain", 1]]);
    expect(holders(store, 20n)).toEqual([[2n, "holder", "certain", 1]]);
    // console-subscriber sends a new console everything twice; the second copy, a publish later, confirms.
    store.applyUpdate({ ...first, now: nanosToTimestamp(T0 + 2n * S) });
    const [cycle, ...rest] = store.cycles();
    expect(rest).toEqual([]);
    expect(cycle?.tasks.map((t) => t.name)).toEqual(["transfer", "audit"]);
    expect(cycle?.basis).toBe("certain");
  });

  it("names nobody once the lock was seen free after the last grant (a try_lock leaves no op)", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "worker");
    lock(b, 10n, "Mutex", { locked: true });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock", doneMs: 1n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([[1n, "holder", "certain", 1]]);
    store.applyUpdate(b.resourceStats(10n, { locked: false }).build(T0 + 2n * S));
    expect(holders(store, 10n)).toEqual([]);
    store.applyUpdate(b.resourceStats(10n, { locked: true }).build(T0 + 3n * S));
    expect(holders(store, 10n)).toEqual([]);
  });

  it("names the holder once the grant's op arrives after the lock's state (console-subscriber lists ops late)", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "holder");
    // console-subscriber's first update for a new console: state read now, op events not yet drained.
    lock(b, 10n, "Mutex", { locked: true });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([]);
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock", doneMs: 500n });
    store.applyUpdate(b.build(T0 + 2n * S));
    expect(holders(store, 10n)).toEqual([[1n, "holder", "certain", 1]]);
  });

  it("names nobody for an owned guard, which can move to another task", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "taker");
    lock(b, 10n, "Mutex", { locked: true });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock_owned", doneMs: 1n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([]);
  });

  it("names nobody while the lock is being handed to a waiter it was assigned to", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "old-holder");
    task(b, 2n, "next");
    lock(b, 10n, "Mutex", { locked: true });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock", doneMs: 1n });
    acquire(b, { span: 200n, lock: 10n, task: 2n, source: "Mutex::lock", obtained: 1n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([]);
  });

  it("names nobody when the task that took the lock has ended (its guard was moved or leaked)", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "gone", true);
    lock(b, 10n, "Mutex", { locked: true });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock", doneMs: 1n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([]);
  });

  it("does not take a cancelled acquire (fewer permits obtained than requested) for a grant", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "holder");
    task(b, 2n, "impatient");
    lock(b, 10n, "Mutex", { locked: true });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Mutex::lock", doneMs: 1n });
    acquire(b, { span: 200n, lock: 10n, task: 2n, source: "Mutex::lock", obtained: 0n, doneMs: 5n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([[1n, "holder", "certain", 1]]);
  });

  it("counts readers only when the read grants since the last write match current_readers", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    for (const [span, name] of [
      [1n, "r1"],
      [2n, "r2"],
      [3n, "w"],
    ] as const)
      task(b, span, name);
    const max = 536870911n;
    lock(b, 10n, "RwLock", { max_readers: max, write_locked: false, current_readers: 2n });
    acquire(b, { span: 100n, lock: 10n, task: 3n, source: "RwLock::write", requested: max, doneMs: 1n });
    acquire(b, { span: 200n, lock: 10n, task: 1n, source: "RwLock::read", doneMs: 2n });
    acquire(b, { span: 300n, lock: 10n, task: 2n, source: "RwLock::read", doneMs: 3n });
    const snapshot = b.build(T0 + S);
    store.applyUpdate(snapshot);
    expect(holders(store, 10n)).toEqual([
      [1n, "reader", "certain", 1],
      [2n, "reader", "certain", 1],
    ]);
    // The resend of the same finished ops is not two more readers.
    store.applyUpdate(snapshot);
    expect(holders(store, 10n).map(([t]) => t)).toEqual([1n, 2n]);
    // One reader left, and which one is not said.
    store.applyUpdate(b.resourceStats(10n, { current_readers: 1n }).build(T0 + 3n * S));
    expect(holders(store, 10n)).toEqual([]);
  });

  it("finds the writer of an RwLock; readers before it had to leave", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "reader");
    task(b, 2n, "writer");
    const max = 536870911n;
    lock(b, 10n, "RwLock", { max_readers: max, write_locked: true, current_readers: 0n });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "RwLock::read", doneMs: 1n });
    acquire(b, { span: 200n, lock: 10n, task: 2n, source: "RwLock::write", requested: max, doneMs: 2n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([[2n, "holder", "certain", 1]]);
  });

  it("gives a semaphore's permit holders as possible, only while someone queues", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    for (const [span, name] of [
      [1n, "hog-a"],
      [2n, "hog-b"],
      [3n, "finished", true],
      [4n, "query"],
    ] as const)
      task(b, span, name, span === 3n);
    lock(b, 10n, "Semaphore", { permits: 0n });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Semaphore::acquire", doneMs: 1n });
    acquire(b, { span: 200n, lock: 10n, task: 2n, source: "Semaphore::acquire_many", requested: 2n, doneMs: 2n });
    acquire(b, { span: 300n, lock: 10n, task: 3n, source: "Semaphore::acquire", doneMs: 3n });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([]);
    acquire(b, { span: 400n, lock: 10n, task: 4n, source: "Semaphore::acquire" });
    store.applyUpdate(b.build(T0 + 2n * S));
    expect(holders(store, 10n)).toEqual([
      [1n, "permit", "possible", 1],
      [2n, "permit", "possible", 2],
    ]);
  });

  it("gives no permit holders when an owned permit was taken (it can live in any task)", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    task(b, 1n, "acceptor");
    task(b, 2n, "query");
    lock(b, 10n, "Semaphore", { permits: 0n });
    acquire(b, { span: 100n, lock: 10n, task: 1n, source: "Semaphore::acquire_owned", doneMs: 1n });
    acquire(b, { span: 200n, lock: 10n, task: 2n, source: "Semaphore::acquire" });
    store.applyUpdate(b.build(T0 + S));
    expect(holders(store, 10n)).toEqual([]);
  });
});
