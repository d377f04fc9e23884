import { create } from "@bufbuild/protobuf";
import { RuntimeStore } from "@async-insight/engine";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { likelyDeadlockUpdates, selfSendUpdates } from "@async-insight/engine/testing";
import { lintProblems, resourceDetail, resourceRow } from "./engine-view.js";

function storeOf(updates: ReturnType<typeof selfSendUpdates>): RuntimeStore {
  const store = new RuntimeStore();
  for (const u of updates) store.applyUpdate(u);
  return store;
}

describe("web problems say what a deadlock verdict rests on", () => {
  it("a proven deadlock rests on the proof", () => {
    const deadlock = lintProblems(storeOf(selfSendUpdates(true))).find((p) => p.lint === "deadlock-cycle");
    expect(deadlock?.severity).toBe("error");
    expect(deadlock?.evidence).toBe("proven: nothing still able to run can wake these tasks (garbage-collection proof or lost wakers)");
  });

  it("a likely deadlock is a warning that says it is not proven; other lints carry no evidence line", () => {
    const problems = lintProblems(storeOf(likelyDeadlockUpdates()));
    // One blocked-on-full-channel finding per blocked sender, and the one likely deadlock.
    expect(problems.map((p) => [p.lint, p.severity, p.evidence]).sort()).toEqual([
      ["blocked-on-full-channel", "warning", undefined],
      ["blocked-on-full-channel", "warning", undefined],
      ["likely-deadlock", "warning", "likely, not proven: counts only the tasks known to use each end; other code could still free it"],
    ]);
  });
});

describe("web resource details", () => {
  it("say when the target proved the resource unreachable, and only then", () => {
    const channelOf = (store: RuntimeStore) => resourceDetail(store, store.resources().find((r) => r.label === "prototype_channel")!.id);
    expect(channelOf(storeOf(selfSendUpdates(false)))?.unreachable).toBeUndefined();
    const proven = channelOf(storeOf(selfSendUpdates(true)));
    expect(proven?.unreachable).toBe(true);
    expect(proven?.freers.map((f) => [f.taskLabel, f.role, f.certain])).toEqual([["task 4 process-jobs", "sole sender (mpsc channel)", true]]);
  });
});

/** generic-pool "orders-db": 2/2 connections held by tasks 4 and 7, each waiting for another (as the adapter publishes it). */
function nestedAcquire(at: bigint): Update {
  const field = (name: string, value: string | bigint) =>
    typeof value === "string"
      ? { name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } }
      : { name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } };
  const ts = (ms: bigint) => nanosToTimestamp(1_800_000_000_000_000_000n + ms * 1_000_000n);
  const task = (id: bigint) => ({ id: { id: 100n + id }, fields: [field("task.id", id), field("task.name", `GET /orders/${id}`)] });
  const stats = { createdAt: ts(0n), wakerClones: 2n, wakerDrops: 1n, pollStats: { polls: 2n, lastPollStarted: ts(1n), lastPollEnded: ts(2n) } };
  const attrs = [
    field("insight.name", "orders-db"),
    field("insight.library", "generic-pool@3.9.0"),
    field("insight.capacity", 2n),
    field("insight.in_use", 2n),
    field("insight.pending", 2n),
    field("insight.owners", "holder:4,holder:7"),
  ];
  return create(UpdateSchema, {
    now: ts(at),
    taskUpdate: { newTasks: [task(4n), task(7n)], statsUpdate: { "104": stats, "107": stats } },
    resourceUpdate: {
      newResources: [{ id: { id: 10n }, concreteType: "Pool", kind: { kind: { case: "other", value: "Sync" } } }],
      statsUpdate: { "10": { createdAt: ts(0n), attributes: attrs.map((f) => ({ field: f })) } },
    },
    asyncOpUpdate: {
      newAsyncOps: [20n, 21n].map((op) => ({ id: { id: op }, source: "Pool::acquire", resourceId: { id: 10n } })),
      statsUpdate: { "20": { createdAt: ts(3n), taskId: { id: 104n } }, "21": { createdAt: ts(3n), taskId: { id: 107n } } },
    },
  });
}

describe("web views of library resources", () => {
  it("show the pool deadlock as a certain cycle, and the pool's library facts in its row", () => {
    const store = new RuntimeStore();
    store.applyUpdate(nestedAcquire(5_000n));
    store.applyUpdate(nestedAcquire(6_000n));
    const [problem] = lintProblems(store);
    expect([problem?.lint, problem?.severity, problem?.evidence]).toEqual([
      "deadlock-cycle",
      "error",
      "certain: only the named tasks can free what they wait on (holders, awaited tasks, unreachable ends)",
    ]);
    expect(problem?.summary).toContain(
      "through pool orders-db and can never make progress: pool orders-db: 2/2 connections held by tasks 4 and 7, each waiting for another connection from it.",
    );
    expect(resourceRow(store, store.resources()[0]!).attributes).toBe("library=generic-pool@3.9.0 capacity=2 in_use=2 pending=2");
  });
});
