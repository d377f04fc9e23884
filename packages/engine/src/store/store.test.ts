import { describe, expect, it } from "vitest";
import { RuntimeStore } from "../index.js";
import { MS, S, T0, UpdateBuilder, emptyUpdate, pausedState } from "../testing/fixtures.js";
import { STORY_TASK_ID, storyUpdates } from "../testing/story.js";

describe("RuntimeStore: tasks", () => {
  it("uses task.id as the display id and the spawn location", () => {
    const store = new RuntimeStore();
    store.applyUpdate(new UpdateBuilder().task({ span: 5n, id: 42n, name: "worker", kind: "task", file: "src/a.rs", line: 3 }).build(T0));
    const task = store.task(42n);
    expect(task?.spanId).toBe(5n);
    expect(task?.name).toBe("worker");
    expect(task?.location).toBe("src/a.rs:3:1");
    expect(store.taskBySpanId(5n)?.id).toBe(42n);
  });

  it("assigns sequential ids when task.id is absent", () => {
    const store = new RuntimeStore();
    store.applyUpdate(new UpdateBuilder().task({ span: 9n }).task({ span: 10n }).build(T0));
    expect(store.tasks().map((t) => t.id)).toEqual([1n, 2n]);
  });

  it("derives state like tokio-console", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n })
      .task({ span: 2n, id: 2n })
      .task({ span: 3n, id: 3n })
      .task({ span: 4n, id: 4n })
      .taskStats(1n, { created: T0, polls: 1n, started: T0 + 5n * MS }) // running: started, never ended
      .taskStats(2n, { created: T0, polls: 1n, started: T0 + MS, ended: T0 + 2n * MS, lastWake: T0 + 3n * MS }) // scheduled
      .taskStats(3n, { created: T0, polls: 1n, started: T0 + MS, ended: T0 + 2n * MS }) // idle
      .taskStats(4n, { created: T0, dropped: T0 + 4n * MS, polls: 1n, started: T0 + MS, ended: T0 + 2n * MS });
    store.applyUpdate(b.build(T0 + 10n * MS));
    expect([1n, 2n, 3n, 4n].map((id) => store.task(id)?.state)).toEqual(["running", "scheduled", "idle", "completed"]);
  });

  it("computes busy, scheduled and idle including the in-progress poll and pending wake", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n })
      .task({ span: 2n, id: 2n })
      .taskStats(1n, { created: T0, polls: 2n, started: T0 + 60n * MS, ended: T0 + 50n * MS, busy: 20n * MS, scheduled: 5n * MS })
      .taskStats(2n, { created: T0, polls: 1n, started: T0 + 10n * MS, ended: T0 + 20n * MS, busy: 10n * MS, scheduled: 2n * MS, lastWake: T0 + 70n * MS });
    store.applyUpdate(b.build(T0 + 100n * MS));
    expect(store.task(1n)?.times).toEqual({ total: 100n * MS, busy: 60n * MS, scheduled: 5n * MS, idle: 35n * MS });
    expect(store.task(2n)?.times).toEqual({ total: 100n * MS, busy: 10n * MS, scheduled: 32n * MS, idle: 58n * MS });
    const share = store.task(2n)!.share;
    expect(share.busy + share.scheduled + share.idle).toBeCloseTo(1);
    expect(share.scheduled).toBeCloseTo(0.32);
  });

  it("ages tasks that receive no stats and freezes completed ones", () => {
    const store = new RuntimeStore();
    store.applyUpdate(
      new UpdateBuilder()
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0 })
        .build(T0 + S),
    );
    store.applyUpdate(emptyUpdate(T0 + 3n * S));
    expect(store.task(1n)?.times.total).toBe(3n * S);
    expect(store.task(1n)?.times.idle).toBe(3n * S);
  });

  it("counts dropped events cumulatively", () => {
    const store = new RuntimeStore();
    store.applyUpdate(new UpdateBuilder().dropped({ tasks: 2n, asyncOps: 1n }).build(T0));
    store.applyUpdate(new UpdateBuilder().dropped({ tasks: 3n, resources: 4n }).build(T0 + S));
    expect(store.droppedEvents).toEqual({ tasks: 5n, resources: 4n, asyncOps: 1n });
  });

  it("retains completed tasks for 6 s, not while paused, and frees reused span ids", () => {
    const store = new RuntimeStore();
    store.applyUpdate(
      new UpdateBuilder()
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0, dropped: T0 + S })
        .build(T0 + S),
    );
    store.applyUpdate(
      new UpdateBuilder()
        .task({ span: 1n, id: 2n })
        .taskStats(1n, { created: T0 + 2n * S })
        .build(T0 + 2n * S),
    );
    expect(store.task(1n)?.state).toBe("completed");
    expect(store.taskBySpanId(1n)?.id).toBe(2n);
    store.applyState(pausedState(true));
    store.applyUpdate(emptyUpdate(T0 + 8n * S));
    expect(store.task(1n)).toBeDefined();
    store.applyState(pausedState(false));
    expect(store.paused).toBe(false);
    store.applyUpdate(emptyUpdate(T0 + 8n * S));
    expect(store.task(1n)).toBeUndefined();
    expect(store.task(2n)).toBeDefined();
  });

  it("keeps a display id across a reconnect's full resend", () => {
    const store = new RuntimeStore();
    const first = () => new UpdateBuilder().task({ span: 3n, id: 7n }).resource({ span: 4n, type: "Mutex" }).build(T0);
    store.applyUpdate(first());
    store.applyUpdate(first());
    expect(store.tasks()).toHaveLength(1);
    expect(store.resources()).toHaveLength(1);
  });

  it("bumps generation on every message", () => {
    const store = new RuntimeStore();
    store.applyUpdate(emptyUpdate(T0));
    store.applyState(pausedState(true));
    expect(store.generation).toBe(2);
    expect(store.paused).toBe(true);
    expect(store.now).toBe(T0);
  });

  it("records a bounded timeline of polls and wakes and a sparkline", () => {
    const store = new RuntimeStore({ timelineCapacity: 4 });
    const b = new UpdateBuilder().task({ span: 1n, id: 1n });
    for (let i = 0n; i < 10n; i++) {
      const t = T0 + i * S;
      b.taskStats(1n, { created: T0, polls: i + 1n, lastWake: t, started: t + 100n * MS, ended: t + 600n * MS, busy: (i + 1n) * 500n * MS });
      store.applyUpdate(b.build(t + S - MS));
    }
    const timeline = store.timeline(1n);
    expect(timeline.length).toBeLessThanOrEqual(8);
    expect(timeline.some((e) => e.type === "poll" && e.end !== undefined && e.end - e.start === 500n * MS)).toBe(true);
    expect(timeline.some((e) => e.type === "scheduled" && e.end - e.start === 100n * MS)).toBe(true);
    const spark = store.recentActivity(1n, 2n * S, 2);
    expect(spark[0]).toBeGreaterThan(0.4);
    expect(spark[1]).toBeGreaterThan(0.4);
  });
});

describe("RuntimeStore: resources and async ops", () => {
  it("folds the story's channel, its name, owners and the pending send", () => {
    const store = new RuntimeStore();
    for (const u of storyUpdates()) store.applyUpdate(u);
    const [channel] = store.resources();
    expect(channel?.name).toBe("prototype_channel");
    expect(channel?.kind).toBe("Sync");
    expect(channel?.attribute("capacity")?.value).toBe(1n);
    const waits = store.waitsOf(STORY_TASK_ID);
    expect(waits).toHaveLength(1);
    expect(waits[0]?.reason).toBe("send: waiting on channel capacity");
    expect(waits[0]?.awaitLocation).toBe("examples/node/prototype-channel/server.mjs:35:5");
    expect(waits[0]?.awaitLine).toBe("await prototype_channel.send(job);");
    expect(waits[0]?.direction).toBe("send");
    // Owners are users only: process-jobs sent; nobody ever received, so no receiver is known.
    expect(store.freersOf(channel!.id).map((f) => [f.role, f.label, f.certainty, f.inferred])).toEqual([
      ["sender", "known sender (mpsc channel)", "possible", false],
    ]);
    expect(store.waitFreers(waits[0]!)).toEqual([]);
  });

  it("applies add/sub/override attribute ops with u64 saturation", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder().resource({ span: 1n, type: "Semaphore" });
    store.applyUpdate(b.resourceStats(1n, { permits: 5n }).build(T0));
    store.applyUpdate(b.resourceStats(1n, { permits: 2n, "permits.op": "sub" }).build(T0 + 1n));
    expect(store.resource(1n)?.attribute("permits")?.value).toBe(3n);
    store.applyUpdate(b.resourceStats(1n, { permits: 9n, "permits.op": "sub" }).build(T0 + 2n));
    expect(store.resource(1n)?.attribute("permits")?.value).toBe(0n);
    store.applyUpdate(b.resourceStats(1n, { permits: 4n, "permits.op": "add", "permits.unit": "permits" }).build(T0 + 3n));
    expect(store.resource(1n)?.attribute("permits")).toEqual({ name: "permits", value: 4n, unit: "permits" });
    store.applyUpdate(b.resourceStats(1n, { permits: 1n, "permits.op": "override" }).build(T0 + 4n));
    expect(store.resource(1n)?.attribute("permits")?.value).toBe(1n);
  });

  it("records parents, children and woken-by edges", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n, name: "parent" })
      .task({ span: 2n, id: 2n, parents: [1n] })
      .resource({ span: 5n, type: "Channel" })
      .asyncOp({ span: 6n, source: "Channel::recv", resource: 5n })
      .opStats(6n, 2n, {});
    store.applyUpdate(b.build(T0));
    expect(store.spawnedBy(2n)).toEqual([1n]);
    expect(store.children(1n)).toEqual([2n]);
    expect(store.waitsOf(2n)[0]?.reason).toBe("waiting for a message");
    b.taskStats(2n, { created: T0, lastWake: T0 + 5n * MS, wakes: 1n }).opStats(6n, 2n, { "insight.woken_by": 1n });
    store.applyUpdate(b.build(T0 + S));
    expect(store.waitsOf(2n)).toEqual([]);
    expect(store.wokenBy(2n)).toEqual([{ waker: 1n, task: 2n, count: 1, lastAt: T0 + 5n * MS }]);
    expect(store.timeline(2n)).toContainEqual({ type: "wake", at: T0 + 5n * MS, waker: 1n });
  });

  it("reports tokio's lock wait once when the inner semaphore acquire is not linked to it", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n, name: "waiter" })
      .resource({ span: 10n, type: "Mutex" })
      .resource({ span: 11n, type: "Semaphore", internal: true, parent: 10n })
      .asyncOp({ span: 20n, source: "Mutex::lock", resource: 10n })
      .asyncOp({ span: 21n, source: "Semaphore::acquire", resource: 11n })
      .opStats(20n, 1n, {})
      .opStats(21n, 1n, {});
    store.applyUpdate(b.build(T0));
    const waits = store.waitsOf(1n);
    expect(waits.map((w) => w.asyncOp.source)).toEqual(["Mutex::lock"]);
    expect(waits[0]?.reason).toBe("waiting for lock");
  });
});
