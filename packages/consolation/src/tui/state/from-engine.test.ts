import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { renderResourceView } from "../view/resource-view.js";
import { createEngineViewStore } from "./from-engine.js";

const T0 = 1_800_000_000_000_000_000n;
const at = (ms: number) => nanosToTimestamp(T0 + BigInt(ms) * 1_000_000n);
const str = (name: string, value: string) => ({ field: { name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } } });
const u64 = (name: string, value: bigint) => ({ field: { name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } } });

/**
 * Task 3 holds `ledger` and task 8 waits for it; task 9's earlier wait was
 * completed by task 3 (woken_by); task 5 awaits a plain promise. Span ids
 * are not the task ids, so a view that mixed them up would show it.
 */
function ledger(): Update {
  const task = (span: bigint, id: bigint, name: string) => ({ id: { id: span }, fields: [str("task.name", name).field, u64("task.id", id).field] });
  const stats = (polled: number) => ({
    createdAt: at(0),
    wakerClones: 1n,
    pollStats: { polls: 2n, lastPollStarted: at(polled), lastPollEnded: at(polled + 1) },
  });
  return create(UpdateSchema, {
    now: at(5000),
    taskUpdate: {
      newTasks: [task(70n, 3n, "holder"), task(80n, 8n, "waiter"), task(90n, 9n, "served"), task(50n, 5n, "sleeper")],
      statsUpdate: { "70": stats(10), "80": stats(20), "90": stats(30), "50": stats(40) },
    },
    resourceUpdate: {
      newResources: [{ id: { id: 600n }, concreteType: "Mutex", kind: { kind: { case: "other", value: "Sync" } } }],
      statsUpdate: {
        "600": {
          createdAt: at(0),
          attributes: [
            str("insight.name", "ledger"),
            { field: { name: { case: "strName", value: "locked" }, value: { case: "boolVal", value: true } } },
            str("insight.owners", "holder:3"),
          ],
        },
      },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 700n }, source: "Mutex::lock", resourceId: { id: 600n } },
        { id: { id: 701n }, source: "Mutex::lock", resourceId: { id: 600n } },
      ],
      statsUpdate: {
        "700": { createdAt: at(21), taskId: { id: 80n }, attributes: [str("insight.reason", "waiting for lock held by task 3")] },
        "701": { createdAt: at(25), taskId: { id: 90n }, attributes: [str("insight.reason", "waiting for lock held by task 3"), u64("insight.woken_by", 3n)] },
      },
    },
  });
}

const plain = (lines: readonly string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trimEnd());

describe("the terminal's view model reads the engine's facts", () => {
  it("states tasks in the engine's one vocabulary: blocked only with a pending wait", () => {
    const source = createEngineViewStore();
    source.applyUpdate(ledger());
    expect(
      source
        .view()
        .tasks()
        .map((t) => [t.id, t.name, t.state]),
    ).toEqual([
      ["3", "holder", "idle"],
      ["8", "waiter", "blocked"],
      ["9", "served", "idle"],
      ["5", "sleeper", "idle"],
    ]);
  });

  it("lists only pending async ops, by task.id, and says how many finished ones it left out", () => {
    const source = createEngineViewStore();
    source.applyUpdate(ledger());
    const detail = source.view().resource("1")!;
    expect(detail.asyncOps.map((o) => [o.id, o.task?.label, o.source])).toEqual([["1", "task 8 waiter", "Mutex::lock"]]);
    expect(detail.finishedOps).toBe(1);
    expect(detail.freers.map((f) => [f.task.label, f.role, f.freerRole, f.certain])).toEqual([["task 3 holder", "lock holder (mutex)", "holder", true]]);
    const lines = plain(renderResourceView(detail, 0, 120, 20));
    expect(lines).toContain("▶ task 3 holder  lock holder (mutex)  (certain)");
    expect(lines).toContain("Async ops (pending; 1 finished not shown)");
    expect(lines.filter((l) => l.includes("Mutex::lock"))).toEqual([expect.stringMatching(/^\s+1 task 8 waiter\s+Mutex::lock\s/)]);
  });

  it("shows what a library resource says of itself: library, capacity, in use, pending, timeout", () => {
    const source = createEngineViewStore();
    source.applyUpdate(
      create(UpdateSchema, {
        now: at(5000),
        resourceUpdate: {
          newResources: [{ id: { id: 610n }, concreteType: "Pool", kind: { kind: { case: "other", value: "Sync" } } }],
          statsUpdate: {
            "610": {
              createdAt: at(0),
              attributes: [
                str("insight.name", "orders-db"),
                str("insight.library", "generic-pool@3.9.0"),
                u64("insight.capacity", 2n),
                u64("insight.in_use", 2n),
                u64("insight.pending", 3n),
                u64("insight.timeout_ms", 5000n),
                str("insight.owners", ""),
              ],
            },
          },
        },
      }),
    );
    const detail = source.view().resource("1")!;
    expect(detail.attributes).toEqual([
      ["library", "generic-pool@3.9.0"],
      ["capacity", "2"],
      ["in_use", "2"],
      ["pending", "3"],
      ["timeout", "5000 ms"],
    ]);
    expect(plain(renderResourceView(detail, 0, 120, 20))).toContain("Attributes  library=generic-pool@3.9.0  capacity=2  in_use=2  pending=3  timeout=5000 ms");
    expect(
      source
        .view()
        .resources()
        .map((r) => r.attributes),
    ).toEqual(["library=generic-pool@3.9.0 capacity=2 in_use=2 pending=3 timeout=5000 ms"]);
  });

  it("knows the creation time of the task a span id names, the evidence a restart is judged on", () => {
    const source = createEngineViewStore();
    source.applyUpdate(ledger());
    expect(source.taskCreatedAt("80")).toBe(T0);
    expect(source.taskCreatedAt("8")).toBeUndefined();
    source.reset();
    expect(source.taskCreatedAt("80")).toBeUndefined();
  });
});
