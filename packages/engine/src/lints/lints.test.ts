import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LintConfigError, RuntimeStore, countByLint, lintDefinitions, resolveLintLevels, runLints } from "../index.js";
import { MS, S, T0, UpdateBuilder } from "../testing/fixtures.js";
import { storyProvenUpdates, storyUpdates } from "../testing/story.js";

function only(store: RuntimeStore, lint: string) {
  return runLints(store, { warn: [lint] });
}

function storeWith(build: (b: UpdateBuilder) => void, now = T0 + 10n * S, times = 1): RuntimeStore {
  const store = new RuntimeStore({ retainForNs: null });
  const b = new UpdateBuilder();
  for (let i = 0; i < times; i++) {
    build(b);
    store.applyUpdate(b.build(now + BigInt(i) * S));
  }
  return store;
}

describe("tokio-console's lints", () => {
  it("self-wakes: strictly over 50%, skipping blocking kinds", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0, wakes: 10n, selfWakes: 6n })
        .task({ span: 2n, id: 2n })
        .taskStats(2n, { created: T0, wakes: 10n, selfWakes: 5n })
        .task({ span: 3n, id: 3n, kind: "blocking" })
        .taskStats(3n, { created: T0, wakes: 10n, selfWakes: 9n }),
    );
    expect(only(store, "self-wakes").map((p) => p.tasks)).toEqual([[1n]]);
  });

  it("lost-waker: idle, polled, no wakers, not woken since", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n, drops: 1n })
        .task({ span: 2n, id: 2n })
        .taskStats(2n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n })
        .task({ span: 3n, id: 3n })
        .taskStats(3n, { created: T0 }),
    );
    expect(only(store, "lost-waker").map((p) => p.message)).toEqual(["Task 1 has lost its waker and will never be woken again."]);
  });

  it("never-yielded: running first poll for at least 1 s", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n, name: "spin" })
        .taskStats(1n, { created: T0, polls: 1n, started: T0 + 8n * S })
        .task({ span: 2n, id: 2n })
        .taskStats(2n, { created: T0, polls: 1n, started: T0 + 9500n * MS }),
    );
    expect(only(store, "never-yielded").map((p) => p.tasks)).toEqual([[1n]]);
  });

  it("auto-boxed-future and large-future read size fields", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n, fields: { "size.bytes": 8n, "original_size.bytes": 20000n } })
        .task({ span: 2n, id: 2n, fields: { "size.bytes": 1024n } })
        .task({ span: 3n, id: 3n, fields: { "size.bytes": 1023n } }),
    );
    expect(only(store, "auto-boxed-future").map((p) => p.tasks)).toEqual([[1n]]);
    expect(only(store, "large-future").map((p) => p.tasks)).toEqual([[2n]]);
  });
});

describe("insight's lints", () => {
  it("deadlock-cycle carries the structured cycle", () => {
    const store = new RuntimeStore();
    for (const u of storyUpdates()) store.applyUpdate(u);
    expect(only(store, "deadlock-cycle")).toEqual([]);
    for (const u of storyProvenUpdates()) store.applyUpdate(u);
    const [problem] = only(store, "deadlock-cycle");
    expect(problem?.severity).toBe("error");
    expect(problem?.message).toBe(
      'Task 4 "process-jobs" waits on itself through prototype_channel and can never make progress: nothing that can still run can wake it.',
    );
    // The request awaiting process-jobs is downstream: no problem of its own, and no lost-waker repeat for either.
    expect(runLints(store).filter((p) => p.tasks.includes(1n) || p.lint === "lost-waker")).toEqual([]);
    // Nor is the stuck send told a second time as a full channel.
    expect(only(store, "blocked-on-full-channel")).toEqual([]);
    expect(problem?.cycle?.tasks).toHaveLength(1);
    expect(problem?.docsPath).toBe("docs/problems/deadlock-cycle.md");
  });

  it("blocked-on-full-channel names receivers that have not run", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n, name: "sender" })
        .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS })
        .task({ span: 2n, id: 2n, name: "reader" })
        .taskStats(2n, { created: T0, polls: 1n, started: T0, ended: T0 + MS })
        .resource({ span: 5n, type: "Channel" })
        .resourceStats(5n, { "insight.name": "prototype_channel", capacity: 2n, len: 2n, "insight.owners": "sender:1,receiver:2" })
        .asyncOp({ span: 6n, source: "Channel::send", resource: 5n })
        .opStats(6n, 1n, { "insight.reason": "send: waiting on channel capacity" }, { created: T0 + MS }),
    );
    const [problem] = only(store, "blocked-on-full-channel");
    expect(problem?.message).toContain('to send into prototype_channel, which is full; its known receiver (2 "reader") has not run since.');
    expect(problem?.tasks).toEqual([1n, 2n]);
  });

  it("long-poll names the tasks it starved", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n, name: "hog" })
      .task({ span: 2n, id: 2n, name: "victim" })
      .taskStats(1n, { created: T0, polls: 1n, started: T0 + 10n * MS, ended: T0 + 510n * MS, busy: 500n * MS })
      .taskStats(2n, { created: T0, polls: 1n, lastWake: T0 + 20n * MS, started: T0 + 515n * MS, ended: T0 + 516n * MS, scheduled: 495n * MS });
    store.applyUpdate(b.build(T0 + S));
    const [problem] = only(store, "long-poll");
    expect(problem?.starved).toEqual([2n]);
    expect(problem?.message).toBe('A poll of task 1 "hog" took 500.0 ms, blocking the executor; 1 ready task waited meanwhile: 2 "victim".');
  });

  it("high-scheduled-time over a long enough life", () => {
    const store = storeWith((b) => b.task({ span: 1n, id: 1n }).taskStats(1n, { created: T0, polls: 5n, started: T0, ended: T0 + MS, scheduled: 4n * S }));
    expect(only(store, "high-scheduled-time").map((p) => p.message)).toEqual(["Task 1 has spent 40% of its life ready but waiting to be polled."]);
  });

  it("lock-held-while-idle with stated owners and waiters", () => {
    const store = storeWith(
      (b) =>
        b
          .task({ span: 1n, id: 1n })
          .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n })
          .task({ span: 2n, id: 2n })
          .taskStats(2n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n })
          .resource({ span: 5n, type: "Mutex" })
          .resourceStats(5n, { "insight.name": "db", locked: true, "insight.owners": "holder:1" })
          .asyncOp({ span: 6n, source: "Mutex::lock", resource: 5n })
          .opStats(6n, 2n),
      T0 + 10n * S,
      3,
    );
    const [problem] = only(store, "lock-held-while-idle");
    expect(problem?.message).toMatch(/^Task 1 has held db for .* while idle; 1 task is waiting for it\.$/);
  });

  it("lock-held-while-idle stays quiet while nobody waits for the lock", () => {
    const store = storeWith(
      (b) =>
        b
          .task({ span: 1n, id: 1n })
          .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n })
          .resource({ span: 5n, type: "Mutex" })
          .resourceStats(5n, { "insight.name": "db", locked: true, "insight.owners": "holder:1" }),
      T0 + 10n * S,
      3,
    );
    expect(only(store, "lock-held-while-idle")).toEqual([]);
  });

  it("detached-task when the spawner completed, but not for main", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0, dropped: T0 + S })
        .task({ span: 9n, id: 9n, kind: "main" })
        .taskStats(9n, { created: T0, dropped: T0 + S })
        .task({ span: 2n, id: 2n, parents: [1n] })
        .taskStats(2n, { created: T0 })
        .task({ span: 3n, id: 3n, parents: [9n] })
        .taskStats(3n, { created: T0 }),
    );
    expect(only(store, "detached-task").map((p) => p.tasks)).toEqual([[2n, 1n]]);
  });

  it("no verdict from completed known senders; with a lost waker, never-woken", () => {
    const scene = (drops: bigint) => (b: UpdateBuilder) =>
      b
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS, clones: 1n, drops })
        .task({ span: 2n, id: 2n })
        .taskStats(2n, { created: T0, dropped: T0 + S })
        .resource({ span: 5n, type: "Channel" })
        .resourceStats(5n, { "insight.name": "jobs", "insight.owners": "sender:2" })
        .asyncOp({ span: 6n, source: "Channel::recv", resource: 5n })
        .opStats(6n, 1n);
    // Another handle to jobs may still send: the known sender finishing proves nothing.
    const unproven = storeWith(scene(0n), T0 + 10n * S, 2);
    expect([...only(unproven, "never-woken"), ...only(unproven, "deadlock-cycle")]).toEqual([]);
    const proven = storeWith(scene(1n), T0 + 10n * S, 2);
    expect(only(proven, "deadlock-cycle")).toEqual([]);
    expect(only(proven, "never-woken").map((p) => p.message)).toEqual([
      "Task 1 waits (waiting for a message on jobs) but nothing that can still run can wake it: it will never be woken.",
    ]);
  });

  it("leaves a task that only it could free to deadlock-cycle, not never-woken", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS })
        .resource({ span: 5n, type: "Channel" })
        .resourceStats(5n, { "insight.name": "self_fed", "insight.owners": "receiver:1,sender:1" })
        .asyncOp({ span: 6n, source: "Channel::send", resource: 5n })
        .opStats(6n, 1n),
    );
    expect(only(store, "never-woken")).toEqual([]);
  });

  it("pending-at-exit after markExited or a completed main", () => {
    const store = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n })
        .taskStats(1n, { created: T0 })
        .task({ span: 2n, id: 2n })
        .taskStats(2n, { created: T0, dropped: T0 + S }),
    );
    expect(only(store, "pending-at-exit")).toEqual([]);
    store.markExited();
    expect(only(store, "pending-at-exit").map((p) => p.tasks)).toEqual([[1n]]);
    const viaMain = storeWith((b) =>
      b
        .task({ span: 1n, id: 1n })
        .task({ span: 2n, id: 2n, kind: "main" })
        .taskStats(2n, { created: T0, dropped: T0 + S }),
    );
    expect(viaMain.exited).toBe(true);
  });
});

describe("lint configuration", () => {
  it("resolves warn, allow and deny like tokio-console's flags", () => {
    const levels = resolveLintLevels({ warn: ["self-wakes", "lost-waker"], allow: ["lost-waker"], deny: ["deadlock-cycle"] });
    expect(levels.get("self-wakes")).toBe("warn");
    expect(levels.get("lost-waker")).toBe("allow");
    expect(levels.get("deadlock-cycle")).toBe("deny");
    expect(levels.get("large-future")).toBe("allow");
    expect([...resolveLintLevels({ allow: "all" }).values()].every((l) => l === "allow")).toBe(true);
    expect(() => resolveLintLevels({ allow: ["nope"] })).toThrow(LintConfigError);
  });

  it("has a docs page path, summary and explanation for every lint", () => {
    const defs = lintDefinitions();
    expect(defs).toHaveLength(18);
    for (const d of defs) {
      expect(d.docsPath).toBe(`docs/problems/${d.id}.md`);
      expect(d.summary.length).toBeGreaterThan(10);
      expect(d.explanation.length).toBeGreaterThan(40);
      expect(existsSync(fileURLToPath(new URL(`../../../../${d.docsPath}`, import.meta.url)))).toBe(true);
    }
  });

  it("orders problems most severe first and counts them per lint", () => {
    const store = new RuntimeStore();
    for (const u of [...storyUpdates(), ...storyProvenUpdates()]) store.applyUpdate(u);
    const problems = runLints(store, { deny: ["deadlock-cycle"] });
    expect(problems[0]?.lint).toBe("deadlock-cycle");
    expect(problems[0]?.level).toBe("deny");
    expect(countByLint(problems).get("deadlock-cycle")).toBe(1);
  });
});
