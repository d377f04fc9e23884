import { describe, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { Runtime } from "./runtime.js";
import { WireBuilder } from "./wire.js";

describe("Runtime event buffer", () => {
  it("drops new entities past capacity, counts them, and reports them once", () => {
    const rt = new Runtime(resolveOptions({ eventBufferCapacity: 2 }, {}));
    const tasks = [1, 2, 3].map((n) => rt.createTask(`t${n}`, "task", {}, undefined, undefined));
    expect(tasks.map((t) => t.tracked)).toEqual([true, true, false]);
    const wire = new WireBuilder(rt);
    const first = wire.delta();
    expect(first.taskUpdate?.newTasks).toHaveLength(2);
    expect(first.taskUpdate?.droppedEvents).toBe(1n);
    expect(wire.delta().taskUpdate?.droppedEvents).toBe(0n);
    // An untracked task's activity is ignored rather than failing.
    rt.poll(tasks[2]!, 0, 1);
    rt.completeTask(tasks[2]!);
  });

  it("forgets closed tasks after retention", () => {
    const rt = new Runtime(resolveOptions({ retention: 10 }, {}));
    const task = rt.createTask("short", "task", {}, undefined, undefined);
    rt.completeTask(task);
    rt.expire(task.droppedAt + 5);
    expect(rt.tasks.has(task.spanId)).toBe(true);
    rt.expire(task.droppedAt + 11);
    expect(rt.tasks.has(task.spanId)).toBe(false);
  });

  it("counts scheduled time from a wake to the next poll, and self-wakes", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const task = rt.createTask("t", "task", {}, undefined, undefined);
    // A first poll that ended before any wake could be observed.
    rt.poll(task, task.createdAt - 2, task.createdAt - 1);
    rt.wake(task, task);
    const woke = task.lastWake;
    rt.poll(task, woke + 3, woke + 4);
    expect(task.wakes).toBe(1);
    expect(task.selfWakes).toBe(1);
    expect(task.scheduledMs).toBeCloseTo(3, 5);
    expect(task.busyMs).toBeCloseTo(2, 5);
  });
});

describe("short-lived budget", () => {
  it("forgets tasks that began and ended within one interval past the budget, counting them for a console", () => {
    const rt = new Runtime(resolveOptions({ shortLivedPerInterval: 2 }, {}));
    rt.watching = true;
    const live = rt.createTask("live", "task", {}, undefined, undefined);
    const short = [1, 2, 3, 4].map((n) => rt.createTask(`s${n}`, "task", {}, undefined, undefined));
    for (const t of short) rt.completeTask(t);
    const update = new WireBuilder(rt).delta();
    expect(update.taskUpdate?.newTasks.map((t) => t.id?.id)).toEqual([live, short[0]!, short[1]!].map((t) => BigInt(t.spanId)));
    expect(update.taskUpdate?.droppedEvents).toBe(2n);
    expect(rt.tasks.size).toBe(3);
  });
});
