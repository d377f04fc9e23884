import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { WebFeed } from "./web-feed.js";
import type { WebSnapshot } from "@async-insight/web-contract";

const T0 = BigInt(Date.now()) * 1_000_000n;
const at = (ms: number) => nanosToTimestamp(T0 + BigInt(ms) * 1_000_000n);
const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });

/** The story's cycle: task 1 sends into a full channel that only it receives from, proven stuck. */
function storyUpdate(): Update {
  return create(UpdateSchema, {
    now: at(2000),
    taskUpdate: {
      newTasks: [{ id: { id: 1n }, fields: [str("task.name", "process-jobs"), u64("task.id", 1n)] }],
      // The library proved it stuck: every waker dropped.
      statsUpdate: { "1": { createdAt: at(0), wakerClones: 2n, wakerDrops: 2n, pollStats: { polls: 2n, lastPollStarted: at(10), lastPollEnded: at(11) } } },
    },
    resourceUpdate: {
      newResources: [{ id: { id: 10n }, concreteType: "Channel", kind: { kind: { case: "other", value: "Sync" } } }],
      statsUpdate: {
        "10": {
          createdAt: at(0),
          attributes: [
            { field: str("insight.name", "prototype_channel") },
            { field: u64("capacity", 1n) },
            { field: u64("len", 1n) },
            { field: str("insight.owners", "receiver:1,sender:1") },
          ],
        },
      },
    },
    asyncOpUpdate: {
      newAsyncOps: [{ id: { id: 100n }, source: "Channel::send", resourceId: { id: 10n } }],
      statsUpdate: { "100": { createdAt: at(11), taskId: { id: 1n }, attributes: [{ field: str("insight.reason", "send: waiting on channel capacity") }] } },
    },
  });
}

function nextSnapshot(feed: WebFeed, accept: (s: WebSnapshot) => boolean): Promise<WebSnapshot> {
  return new Promise((resolve) => {
    const stop = feed.subscribe((snapshot) => {
      if (!accept(snapshot)) return;
      stop();
      resolve(snapshot);
    });
  });
}

describe("WebFeed", () => {
  it("draws the story's cycle: task → prototype_channel → task, both marked", () => {
    const feed = new WebFeed({ target: "t", controllable: true });
    feed.applyUpdate(storyUpdate());
    feed.applyUpdate(create(UpdateSchema, { now: at(3000) }));
    const { graph, tasks, problems } = feed.snapshot();
    expect(tasks.map((t) => [t.name, t.state])).toEqual([["process-jobs", "blocked"]]);
    expect(graph.edges.map((e) => [e.from, e.to, e.label, e.inCycle])).toEqual([
      ["t:1", "r:1", "send: waiting on channel capacity", true],
      ["r:1", "t:1", "known receiver (mpsc channel)", true],
    ]);
    expect(graph.nodes.every((n) => n.inCycle)).toBe(true);
    expect(problems.map((p) => p.lint)).toContain("deadlock-cycle");
    feed.close();
  });

  it("reruns throttled lints later on its own, so a cycle is never left unreported", async () => {
    const feed = new WebFeed({ target: "t", controllable: true, minIntervalMs: 0, lintIntervalMs: 50 });
    const reported = nextSnapshot(feed, (s) => s.problems.some((p) => p.lint === "deadlock-cycle"));
    feed.applyUpdate(storyUpdate());
    expect(feed.snapshot().problems.some((p) => p.lint === "deadlock-cycle")).toBe(false);
    // The confirming update arrives within the lint interval; no update follows it.
    feed.applyUpdate(create(UpdateSchema, { now: at(3000) }));
    const snapshot = await reported;
    expect(snapshot.problems.find((p) => p.lint === "deadlock-cycle")?.taskKeys).toEqual(["1"]);
    feed.close();
  });

  it("keeps details out of the snapshot and answers them by key", () => {
    const feed = new WebFeed({ target: "t", controllable: true });
    feed.applyUpdate(storyUpdate());
    const detail = feed.taskDetail("1");
    expect(detail?.waits).toEqual([
      expect.objectContaining({ resourceLabel: "prototype_channel", reason: "send: waiting on channel capacity", awaitInternal: false }),
    ]);
    expect(feed.resourceDetail("1")?.freers.map((f) => [f.taskKey, f.role, f.certain])).toEqual([
      ["1", "known receiver (mpsc channel)", false],
      ["1", "known sender (mpsc channel)", false],
    ]);
    expect(feed.taskDetail("1; drop")).toBeUndefined();
    expect(feed.taskDetail("99")).toBeUndefined();
    feed.close();
  });

  it("forgets the old process's state when a reconnect lands on a new process", () => {
    const feed = new WebFeed({ target: "t", controllable: true });
    feed.setConnection({ status: "connected", since: 0 });
    feed.applyUpdate(storyUpdate());
    feed.applyUpdate(create(UpdateSchema, { now: at(3000) }));
    expect(feed.snapshot().problems.map((p) => p.lint)).toContain("deadlock-cycle");
    feed.setConnection({ status: "reconnecting", retryAt: Date.now() + 500, reason: "the target ended the stream" });
    expect(feed.snapshot().connection).toMatchObject({ status: "reconnecting", reason: "the target ended the stream" });
    expect(feed.snapshot().tasks).toHaveLength(1);
    feed.setConnection({ status: "connected", since: 1 });
    // The restarted process's task 1 was created later: a different task under the same ids.
    const restarted = create(UpdateSchema, {
      now: at(9000),
      taskUpdate: {
        newTasks: [{ id: { id: 1n }, fields: [str("task.name", "fresh"), u64("task.id", 1n)] }],
        statsUpdate: { "1": { createdAt: at(8000), wakerClones: 1n, pollStats: { polls: 1n, lastPollStarted: at(8001), lastPollEnded: at(8002) } } },
      },
    });
    feed.applyUpdate(restarted);
    const after = feed.snapshot();
    expect(after.tasks.map((t) => [t.id, t.name, t.state])).toEqual([["1", "fresh", "idle"]]);
    expect(after.notice).toBe("the target restarted: showing the new process");
    expect(after.resources).toEqual([]);
    expect(after.problems).toEqual([]);
    feed.close();
  });

  it("keeps the state when a reconnect lands on the same process", () => {
    const feed = new WebFeed({ target: "t", controllable: true });
    feed.setConnection({ status: "connected", since: 0 });
    feed.applyUpdate(storyUpdate());
    feed.setConnection({ status: "reconnecting", retryAt: Date.now() + 500, reason: "the target ended the stream" });
    feed.setConnection({ status: "connected", since: 1 });
    // The same process sends its full snapshot again: task 1 keeps its created_at.
    feed.applyUpdate(storyUpdate());
    feed.applyUpdate(create(UpdateSchema, { now: at(3000) }));
    const snapshot = feed.snapshot();
    expect(snapshot.tasks.map((t) => [t.id, t.name])).toEqual([["1", "process-jobs"]]);
    expect(snapshot.resources.map((r) => r.name)).toEqual(["prototype_channel"]);
    expect(snapshot.problems.map((p) => p.lint)).toContain("deadlock-cycle");
    expect(snapshot.notice).toBeNull();
    feed.close();
  });
});
