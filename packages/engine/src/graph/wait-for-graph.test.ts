import { describe, expect, it } from "vitest";
import { RuntimeStore } from "../index.js";
import { MS, S, T0, UpdateBuilder } from "../testing/fixtures.js";
import { STORY_REQUEST_ID, STORY_TASK_ID, storyProvenUpdates, storyUpdates } from "../testing/story.js";

describe("deadlock cycles", () => {
  it("claims nothing about the story before the proof: the channel has no known receiver", () => {
    const store = new RuntimeStore();
    const [first, second] = storyUpdates();
    store.applyUpdate(first!);
    store.applyUpdate(second!);
    expect(store.cycles()).toEqual([]);
    expect(store.likelyCycles()).toEqual([]);
    expect(store.pendingCycleCount).toBe(0);
  });

  it("reports the story's process-jobs once the proof holds at two updates, the request downstream", () => {
    const store = new RuntimeStore();
    for (const u of storyUpdates()) store.applyUpdate(u);
    const [proof, after] = storyProvenUpdates();
    store.applyUpdate(proof!);
    expect(store.cycles()).toEqual([]);
    store.applyUpdate(after!);
    const [cycle, ...rest] = store.cycles();
    expect(rest).toEqual([]);
    expect(cycle?.basis).toBe("proven");
    expect(cycle?.evidence).toBe("nothing that can still run can wake it");
    expect(cycle?.tasks.map((t) => [t.id, t.name, t.kind])).toEqual([[STORY_TASK_ID, "process-jobs", "task"]]);
    expect(cycle?.resources.map((r) => r.label)).toEqual(["prototype_channel"]);
    expect(cycle?.awaitLocations).toEqual(["examples/node/prototype-channel/server.mjs:35:5"]);
    expect(cycle?.edges.map((e) => `${e.from.kind}${e.from.id} -${e.label}-> ${e.to.kind}${e.to.id}`)).toEqual([
      "task4 -send: waiting on channel capacity-> resource1",
      "resource1 -sole sender (mpsc channel)-> task4",
    ]);
    expect([...store.verdicts().downstream]).toEqual([STORY_REQUEST_ID]);
  });

  it("does not alarm on a transient wait", () => {
    const store = new RuntimeStore();
    const [first] = storyUpdates();
    store.applyUpdate(first!);
    // The receive side makes room: the send completes before the next update.
    store.applyUpdate(new UpdateBuilder().opStats(31n, 11n, { "insight.woken_by": 4n }, { created: T0 }).build(T0 + 2n * S));
    store.applyUpdate(new UpdateBuilder().build(T0 + 3n * S));
    expect(store.cycles()).toEqual([]);
  });

  it("does not report a cycle when another receiver could still make room", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n })
      .task({ span: 2n, id: 2n })
      .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n })
      .taskStats(2n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n })
      .resource({ span: 5n, type: "Channel" })
      .resourceStats(5n, { "insight.owners": "receiver:1,receiver:2,sender:1" })
      .asyncOp({ span: 6n, source: "Channel::send", resource: 5n })
      .opStats(6n, 1n);
    store.applyUpdate(b.build(T0 + S));
    store.applyUpdate(b.build(T0 + 2n * S));
    expect(store.cycles()).toEqual([]);
    expect(store.likelyCycles()).toEqual([]);
    expect(store.freersOf(1n).map((f) => f.label)).toContain("one of 2 known receivers (mpsc channel)");
  });

  it("finds a tokio mutex deadlock from inferred holders", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder();
    for (const [span, id] of [
      [1n, 1n],
      [2n, 2n],
    ] as const) {
      // Each task's waker is held by the lock it waits for (clones 1): not a lost waker.
      b.task({ span, id }).taskStats(span, { created: T0, polls: 2n, started: T0 + MS, ended: T0 + 2n * MS, clones: 1n });
    }
    // Two mutexes, each with tokio's internal batch semaphore underneath.
    b.resource({ span: 10n, type: "Mutex" }).resource({ span: 11n, type: "Semaphore", internal: true, parent: 10n });
    b.resource({ span: 20n, type: "Mutex" }).resource({ span: 21n, type: "Semaphore", internal: true, parent: 20n });
    // Task 1 locked A, task 2 locked B (ready acquires)...
    b.asyncOp({ span: 30n, source: "Mutex::lock", resource: 10n }).opStats(30n, 1n, {}, { dropped: T0 + MS });
    b.asyncOp({ span: 31n, source: "Acquire::new", resource: 11n, parent: 30n }).pollOp(11n, 1n, 31n, true, "poll_acquire");
    b.asyncOp({ span: 40n, source: "Mutex::lock", resource: 20n }).opStats(40n, 2n, {}, { dropped: T0 + MS });
    b.asyncOp({ span: 41n, source: "Acquire::new", resource: 21n, parent: 40n }).pollOp(21n, 2n, 41n, true, "poll_acquire");
    b.resourceStats(10n, { locked: true }).resourceStats(20n, { locked: true });
    // ...then each waits for the other's.
    b.asyncOp({ span: 50n, source: "Mutex::lock", resource: 20n }).opStats(50n, 1n);
    b.asyncOp({ span: 51n, source: "Acquire::new", resource: 21n, parent: 50n }).opStats(51n, 1n).pollOp(21n, 1n, 51n, false, "poll_acquire");
    b.asyncOp({ span: 60n, source: "Mutex::lock", resource: 10n }).opStats(60n, 2n);
    b.asyncOp({ span: 61n, source: "Acquire::new", resource: 11n, parent: 60n }).opStats(61n, 2n).pollOp(11n, 2n, 61n, false, "poll_acquire");
    store.applyUpdate(b.build(T0 + S));
    const mutexA = store.resources().find((r) => r.spanId === 10n)!;
    expect(store.freersOf(mutexA.id)).toMatchObject([{ task: 1n, role: "holder", label: "lock holder (mutex)", inferred: true }]);
    expect(store.waitsOf(1n).map((w) => [w.reason, w.resource?.spanId])).toEqual([["waiting for lock", 20n]]);
    store.applyUpdate(b.build(T0 + 2n * S));
    const [cycle] = store.cycles();
    expect(cycle?.tasks.map((t) => t.id)).toEqual([1n, 2n]);
    expect(cycle?.basis).toBe("certain");
    expect(cycle?.evidence).toBe("Mutex 1 is held by 1; Mutex 3 is held by 2");
    expect(cycle?.edges.filter((e) => e.from.kind === "resource").every((e) => e.inferred)).toBe(true);
    // Unlocking A ends task 1's inferred hold and with it the cycle.
    store.applyUpdate(b.resourceStats(10n, { locked: false }).build(T0 + 3n * S));
    expect(store.freersOf(mutexA.id)).toEqual([]);
    expect(store.cycles()).toEqual([]);
  });

  it("ignores running tasks even when their waits form a cycle", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 11n, id: 1n })
      .taskStats(11n, { created: T0, polls: 1n, started: T0 + MS })
      .resource({ span: 21n, type: "Channel" })
      .resourceStats(21n, { "insight.owners": "receiver:1" })
      .asyncOp({ span: 31n, source: "Channel::send", resource: 21n })
      .opStats(31n, 11n);
    store.applyUpdate(b.build(T0 + S));
    store.applyUpdate(b.build(T0 + 2n * S));
    expect(store.cycles()).toEqual([]);
  });
});
