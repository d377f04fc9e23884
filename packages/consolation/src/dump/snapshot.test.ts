import { create } from "@bufbuild/protobuf";
import { AttributeSchema, nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { manyTasksUpdate } from "@async-insight/engine/testing";
import { formatDumpText, valuesText } from "./format-text.js";
import { filterSnapshot, foldSnapshot } from "./snapshot.js";

it("folds a sequence of updates to the latest state: one row per task, the last stats, the last time", () => {
  const first = manyTasksUpdate(3, false, 20n);
  const again = manyTasksUpdate(3, false, 25n);
  const later = manyTasksUpdate(3, true, 30n);
  const snapshot = foldSnapshot([first, again, later]);
  expect(snapshot.tasks.map((t) => t.name)).toEqual(["worker-0", "worker-1", "worker-2"]);
  const single = foldSnapshot([manyTasksUpdate(3, false, 30n)]);
  expect(snapshot.nowNanos).toBe(single.nowNanos);
  expect(snapshot.tasks.map((t) => t.totalNanos)).toEqual(single.tasks.map((t) => t.totalNanos));
});

const T0 = 1_800_000_000_000_000_000n;
const at = (ms: number) => nanosToTimestamp(T0 + BigInt(ms) * 1_000_000n);
const str = (name: string, value: string) => ({ field: { name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } } });
const u64 = (name: string, value: bigint) => ({ field: { name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } } });
const bool = (name: string, value: boolean) => ({ field: { name: { case: "strName" as const, value: name }, value: { case: "boolVal" as const, value } } });

/** Span ids far from the task ids on purpose: a reader must never see them outside --json. */
const PRODUCER_SPAN = 2n ** 60n + 7n;
const CONSUMER_SPAN = 2n ** 60n + 9n;

/**
 * A producer (task.id 3) blocked sending into a full channel, and a
 * consumer (task.id 8) whose earlier receive the producer completed.
 */
function pipeline(): Update {
  const task = (span: bigint, id: bigint, name: string) => ({
    id: { id: span },
    fields: [str("task.name", name).field, u64("task.id", id).field, str("tenant", "a b=c").field],
  });
  return create(UpdateSchema, {
    now: at(5000),
    taskUpdate: {
      newTasks: [task(PRODUCER_SPAN, 3n, "producer"), task(CONSUMER_SPAN, 8n, "consumer")],
      statsUpdate: {
        [PRODUCER_SPAN.toString()]: {
          createdAt: at(0),
          wakerClones: 2n,
          wakerDrops: 1n,
          pollStats: { polls: 4n, lastPollStarted: at(10), lastPollEnded: at(11) },
        },
        [CONSUMER_SPAN.toString()]: { createdAt: at(0), wakerClones: 1n, pollStats: { polls: 9n, lastPollStarted: at(4000), lastPollEnded: at(4001) } },
      },
    },
    resourceUpdate: {
      newResources: [{ id: { id: 500n }, concreteType: "Channel", kind: { kind: { case: "other", value: "Sync" } } }],
      statsUpdate: {
        "500": {
          createdAt: at(0),
          attributes: [str("insight.name", "jobs"), u64("capacity", 1n), { ...u64("timeout", 250n), unit: "ms" }, bool("closed", false), str("x y", "1 z=2")],
        },
      },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 900n }, source: "Channel::send", resourceId: { id: 500n } },
        { id: { id: 901n }, source: "Channel::recv", resourceId: { id: 500n } },
      ],
      statsUpdate: {
        "900": { createdAt: at(11), taskId: { id: PRODUCER_SPAN }, attributes: [str("insight.reason", "send: waiting on channel capacity")] },
        // Finished: the producer's send completed it (woken_by is a task.id).
        "901": {
          createdAt: at(3000),
          taskId: { id: CONSUMER_SPAN },
          attributes: [str("insight.reason", "waiting for a message"), u64("insight.woken_by", 3n)],
        },
      },
    },
  });
}

describe("dump reads the engine: one id space, pending ops, structured attributes", () => {
  it("names every task by task.id and keeps span ids for --json only", () => {
    const snapshot = foldSnapshot([pipeline()]);
    expect(snapshot.tasks.map((t) => [t.id, t.spanId, t.name, t.state])).toEqual([
      [3n, PRODUCER_SPAN, "producer", "blocked"],
      [8n, CONSUMER_SPAN, "consumer", "idle"],
    ]);
    expect(snapshot.resources.map((r) => [r.id, r.spanId, r.name])).toEqual([[1n, 500n, "jobs"]]);
    expect(snapshot.asyncOps.map((o) => [o.id, o.spanId, o.resourceId, o.taskId, o.taskName, o.pending])).toEqual([
      [1n, 900n, 1n, 3n, "producer", true],
      [2n, 901n, 1n, 8n, "consumer", false],
    ]);
    const text = formatDumpText("t", filterSnapshot(snapshot, { finished: false, finishedOps: true }), { showOpState: true });
    expect(text).not.toContain(String(PRODUCER_SPAN));
    expect(text).not.toContain("900");
    const opLines = text.split("\n").filter((l) => l.includes("Channel::"));
    expect(opLines).toEqual([
      ' 1  Channel::send         1  3 (producer)  pending   -         insight.reason="send: waiting on channel capacity"',
      ' 2  Channel::recv         1  8 (consumer)  finished  -         insight.reason="waiting for a message" insight.woken_by=3',
    ]);
  });

  it("hides finished ops by default and says how many it hid", () => {
    const shown = filterSnapshot(foldSnapshot([pipeline()]), { finished: false, finishedOps: false });
    expect(shown.asyncOps.map((o) => o.spanId)).toEqual([900n]);
    expect(shown.hidden).toEqual({ tasks: 0, resources: 0, asyncOps: 1 });
    const text = formatDumpText("t", shown);
    expect(text.split("\n")[1]).toBe("hidden: 1 finished async op (--all-ops)");
    expect(text).toContain("Async ops (1)");
    expect(text).not.toMatch(/\bpending\b/);
  });

  it("keeps attributes as name → typed value with the unit, and quotes text that could pose as a pair", () => {
    const [resource] = foldSnapshot([pipeline()]).resources;
    expect(resource!.attributes).toEqual({
      "insight.name": { value: "jobs" },
      capacity: { value: 1 },
      timeout: { value: 250, unit: "ms" },
      closed: { value: false },
      "x y": { value: "1 z=2" },
    });
    expect(valuesText(resource!.attributes)).toBe('insight.name=jobs capacity=1 timeout=250ms closed=false "x y"="1 z=2"');
    const [producer] = foldSnapshot([pipeline()]).tasks;
    expect(valuesText(producer!.fields)).toBe('tenant="a b=c"');
  });

  it("gives integers past 2^53 as exact decimal strings", () => {
    const update = pipeline();
    update.resourceUpdate!.statsUpdate["500"]!.attributes.push(create(AttributeSchema, u64("big", 2n ** 60n + 1n)));
    const [resource] = foldSnapshot([update]).resources;
    expect(resource!.attributes["big"]).toEqual({ value: "1152921504606846977" });
  });
});
