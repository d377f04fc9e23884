import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { TimelineRecorder } from "./timeline-recorder.js";

const T0 = 1_700_000_000_000_000_000n;
const ms = (n: number) => nanosToTimestamp(T0 + BigInt(n) * 1_000_000n);
const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });

function update(nowMs: number, parts: Partial<Parameters<typeof create<typeof UpdateSchema>>[1]> = {}): Update {
  return create(UpdateSchema, { now: ms(nowMs), ...parts });
}

const resolveAll = (span: string) => ({ key: `k${span}`, label: `task ${span}` });

describe("TimelineRecorder", () => {
  it("turns wake, poll start and poll end into scheduled and busy runs, idle between", () => {
    const rec = new TimelineRecorder();
    rec.apply(update(0, { taskUpdate: { newTasks: [{ id: { id: 1n } }], statsUpdate: { "1": { createdAt: ms(0) } } } }));
    rec.apply(
      update(1000, {
        taskUpdate: { statsUpdate: { "1": { createdAt: ms(0), lastWake: ms(100), pollStats: { lastPollStarted: ms(150), lastPollEnded: ms(400) } } } },
      }),
    );
    rec.apply(update(2000));
    const lane = rec.toJson(resolveAll).lanes[0]!;
    expect(lane.taskKey).toBe("k1");
    expect(lane.segments).toEqual([
      [0, 100, "idle"],
      [100, 150, "scheduled"],
      [150, 400, "busy"],
      [400, 2000, "idle"],
    ]);
  });

  it("keeps a poll in progress busy up to now", () => {
    const rec = new TimelineRecorder();
    rec.apply(
      update(0, { taskUpdate: { newTasks: [{ id: { id: 1n } }], statsUpdate: { "1": { createdAt: ms(0), pollStats: { lastPollStarted: ms(10) } } } } }),
    );
    rec.apply(update(500));
    expect(rec.toJson(resolveAll).lanes[0]!.segments).toEqual([
      [0, 10, "idle"],
      [10, 500, "busy"],
    ]);
  });

  it("draws a wake arrow from the task named by insight.woken_by", () => {
    const rec = new TimelineRecorder();
    const tasks = [
      { id: { id: 1n }, fields: [u64("task.id", 7n)] },
      { id: { id: 2n }, fields: [u64("task.id", 8n)] },
    ];
    rec.apply(update(0, { taskUpdate: { newTasks: tasks, statsUpdate: { "1": { createdAt: ms(0) }, "2": { createdAt: ms(0) } } } }));
    rec.apply(
      update(1000, {
        asyncOpUpdate: {
          newAsyncOps: [{ id: { id: 50n }, source: "Channel::recv" }],
          statsUpdate: { "50": { taskId: { id: 2n }, attributes: [{ field: str("insight.woken_by", "7") }] } },
        },
        taskUpdate: { statsUpdate: { "2": { createdAt: ms(0), lastWake: ms(600) } } },
      }),
    );
    // Display keys are the task.id values, as the engine uses them.
    const json = rec.toJson((span) => ({ key: span === "1" ? "7" : "8", label: `task ${span}` }));
    expect(json.wakes).toEqual([{ atMs: 600, fromKey: "7", toKey: "8" }]);
  });

  it("forgets a finished task's lane after the retention time and caps segments", () => {
    const rec = new TimelineRecorder({ retainFinishedNs: 1_000_000_000n, segmentsPerLane: 3 });
    rec.apply(update(0, { taskUpdate: { newTasks: [{ id: { id: 1n } }], statsUpdate: { "1": { createdAt: ms(0) } } } }));
    for (let i = 1; i <= 5; i++)
      rec.apply(
        update(i * 100, {
          taskUpdate: { statsUpdate: { "1": { createdAt: ms(0), pollStats: { lastPollStarted: ms(i * 100 - 50), lastPollEnded: ms(i * 100 - 40) } } } },
        }),
      );
    expect(rec.toJson(resolveAll).lanes[0]!.segments.length).toBeLessThanOrEqual(3);
    rec.apply(update(600, { taskUpdate: { statsUpdate: { "1": { createdAt: ms(0), droppedAt: ms(600) } } } }));
    rec.apply(update(1000));
    expect(rec.toJson(resolveAll).lanes).toHaveLength(1);
    rec.apply(update(2000));
    expect(rec.toJson(resolveAll).lanes).toHaveLength(0);
  });
});
