/**
 * Recording more cheaply must not record less (issue 17): what a console can
 * read is the same whether the work was done on the request path or at the
 * next settle.
 */
import { describe, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { DurationRecorder } from "./histogram.js";
import { Runtime } from "./runtime.js";
import { WireBuilder } from "./wire.js";
import { newTaskContext } from "./task-context.js";

const statsIds = (update: ReturnType<WireBuilder["delta"]>) => Object.keys(update.taskUpdate?.statsUpdate ?? {}).map(Number);
const newIds = (update: ReturnType<WireBuilder["delta"]>) => (update.taskUpdate?.newTasks ?? []).map((t) => Number(t.id?.id));

describe("histograms noted on the hot path, folded in at settle", () => {
  it("gives a kept task the same poll and scheduled histograms as recording at once would", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    rt.recordHistograms = true;
    const task = rt.createTask("t", "task", {}, undefined, undefined, 0);
    rt.poll(task, 1, 3); // first poll: scheduled 1 ms after creation, polled 2 ms
    rt.wake(task, undefined);
    const woke = task.lastWake;
    rt.poll(task, woke + 5, woke + 6); // scheduled 5 ms, polled 1 ms
    // Nothing allocated per task on the hot path...
    expect(task.pollTimes).toBe(undefined);
    expect(task.scheduledTimes).toBe(undefined);
    rt.settleDeferred();
    // ...and at settle the same values a direct recording gives.
    const polls = new DurationRecorder();
    polls.record(2e6);
    polls.record(1e6);
    const scheduled = new DurationRecorder();
    scheduled.record(1e6);
    scheduled.record(5e6);
    expect(task.pollTimes?.encode()).toEqual(polls.encode());
    expect(task.scheduledTimes?.encode()).toEqual(scheduled.encode());
  });

  it("keeps no histogram for a short-lived task forgotten at its end", () => {
    const rt = new Runtime(resolveOptions({ shortLivedPerInterval: 0 }, {}));
    rt.recordHistograms = true;
    const task = rt.createTask("short", "task", {}, undefined, undefined);
    rt.poll(task, task.createdAt, task.createdAt + 1);
    rt.completeTask(task);
    expect(rt.tasks.has(task.spanId)).toBe(false);
    rt.settleDeferred();
    expect(task.pollTimes).toBe(undefined);
  });

  it("folds in before task details are built", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    rt.recordHistograms = true;
    const task = rt.createTask("detailed", "task", {}, undefined, undefined, 0);
    rt.poll(task, 1, 2);
    rt.poll(task, 3, 4);
    const details = new WireBuilder(rt).taskDetails(task);
    expect(details.pollTimesHistogram.case).toBe("histogram");
    const expected = new DurationRecorder();
    expected.record(1e6);
    expected.record(1e6);
    const histogram = details.pollTimesHistogram;
    expect(histogram.case === "histogram" ? histogram.value.rawHistogram : undefined).toEqual(expected.encode());
  });
});

describe("deltas list each record once", () => {
  it("sends a task new in this interval once, with its stats, however often it changed", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const wire = new WireBuilder(rt);
    const task = rt.createTask("busy", "task", {}, undefined, undefined);
    for (let n = 0; n < 3; n++) rt.poll(task, task.createdAt + n, task.createdAt + n + 0.5);
    const first = wire.delta();
    expect(newIds(first)).toEqual([task.spanId]);
    expect(statsIds(first)).toEqual([task.spanId]);
    expect(first.taskUpdate?.statsUpdate[String(task.spanId)]?.pollStats?.polls).toBe(3n);
    // Next interval: changed again, so in the stats only.
    rt.poll(task, task.createdAt + 10, task.createdAt + 11);
    const second = wire.delta();
    expect(newIds(second)).toEqual([]);
    expect(statsIds(second)).toEqual([task.spanId]);
    expect(second.taskUpdate?.statsUpdate[String(task.spanId)]?.pollStats?.polls).toBe(4n);
    // Unchanged: in neither.
    const third = wire.delta();
    expect(statsIds(third)).toEqual([]);
  });

  it("starts a new interval without a pass over what changed, and marks again after it", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const old = rt.createTask("old", "task", {}, undefined, undefined);
    rt.clearDeltas();
    rt.poll(old, old.createdAt + 1, old.createdAt + 2);
    rt.poll(old, old.createdAt + 3, old.createdAt + 4);
    expect(rt.dirtyTasks).toEqual([old.spanId]);
    rt.clearDeltas();
    expect(rt.dirtyTasks).toEqual([]);
    rt.poll(old, old.createdAt + 5, old.createdAt + 6);
    expect(rt.dirtyTasks).toEqual([old.spanId]);
  });

  it("does not list a task created this interval as changed: newTasks covers it", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const task = rt.createTask("fresh", "task", {}, undefined, undefined);
    rt.poll(task, task.createdAt, task.createdAt + 1);
    expect(rt.newTasks).toEqual([task.spanId]);
    expect(rt.dirtyTasks).toEqual([]);
  });
});

describe("young tasks", () => {
  it("gives a task still running at settle a weak reference, and one that ended young none", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const ended = rt.createTask("ended", "task", {}, undefined, undefined);
    const running = rt.createTask("running", "task", {}, undefined, undefined);
    const endedContext = newTaskContext(ended);
    const runningContext = newTaskContext(running);
    rt.completeTask(ended);
    expect(ended.pendingContext).toBe(undefined);
    rt.settleDeferred();
    expect(ended.context).toBe(undefined);
    expect(running.pendingContext).toBe(undefined);
    expect(running.context?.deref()).toBe(runningContext);
    expect(endedContext.record).toBe(ended);
    // Ending after the settle leaves the weak reference as it was.
    rt.completeTask(running);
    expect(running.context?.deref()).toBe(runningContext);
  });
});
