import { describe, expect, it } from "vitest";
import { stripAnsi as strip } from "../../format/strip-ansi.js";
import { createEngineViewStore } from "./from-engine.js";
import { initialUiState } from "./ui-state.js";
import { taskColumnCount } from "./task-columns.js";
import { channelLockDeadlockUpdates, likelyDeadlockUpdates } from "@async-insight/engine/testing";
import { renderTaskList } from "../view/task-list.js";
import { renderTaskView } from "../view/task-view.js";
import { MultiView } from "./multi-view.js";

/** Two processes: "4242" runs the story (a confirmed deadlock), "4243/t1" the likely-deadlock pair. Both number their tasks from 1. */
function twoProcesses() {
  const story = createEngineViewStore();
  for (const u of channelLockDeadlockUpdates()) story.applyUpdate(u);
  const pair = createEngineViewStore();
  for (const u of likelyDeadlockUpdates()) pair.applyUpdate(u);
  return new MultiView(() => [
    { id: 1, label: "4242", view: () => story.view() },
    { id: 7, label: "4243/t1", view: () => pair.view() },
  ]);
}

describe("the views over several targets", () => {
  it("lists the union, each task under its own process with a key that names it", () => {
    const view = twoProcesses();
    expect(view.tasks().map((t) => [t.process, t.id, t.name, t.key])).toEqual([
      ["4242", "1", "accept_loop", "p1:1"],
      ["4242", "2", "handler GET /prototype", "p1:2"],
      ["4242", "3", "prototype-writer", "p1:3"],
      ["4242", "4", "prototype-reader", "p1:4"],
      ["4242", "5", "metrics-ticker", "p1:5"],
      ["4243/t1", "1", "client", "p7:1"],
      ["4243/t1", "2", "server", "p7:2"],
    ]);
    expect(view.tasks()[0]).toBe(view.tasks()[0]);
  });

  it("opens a task of either process by its key, with the process in the task view", () => {
    const view = twoProcesses();
    const detail = view.task("p7:1")!;
    expect([detail.row.name, detail.row.process]).toEqual(["client", "4243/t1"]);
    expect(detail.waits.map((w) => w.resourceKey)).toEqual(["p7:1"]);
    expect(view.resource(detail.waits[0]!.resourceKey!)?.row.name).toBe("requests");
    expect(view.task("p1:3")?.row.name).toBe("prototype-writer");
    expect(view.task("p9:1")).toBeUndefined();
    expect(view.task("1")).toBeUndefined();
    const lines = renderTaskView(detail, undefined, 0, 100, 12).map(strip);
    expect(lines[0]!.trimEnd()).toBe("Task 1 client  blocked  kind task  process 4243/t1");
  });

  it("names the process in each problem, most severe first, and never mixes processes in one", () => {
    const problems = twoProcesses().problems();
    const rows = problems.map((p) => [p.severity, p.lint, p.summary.split(":")[0], p.tasks.map((t) => t.task.key)] as const);
    expect(rows[0]).toEqual(["error", "deadlock-cycle", "process 4242", ["p1:3", "p1:4"]]);
    expect(rows[1]).toEqual(["warning", "likely-deadlock", "process 4243/t1", ["p7:1", "p7:2"]]);
    // Whatever else the engine reports, each problem stays within one process and says which.
    for (const [, , process, keys] of rows) {
      const prefix = process === "process 4242" ? "p1:" : "p7:";
      expect(process === "process 4242" || process === "process 4243/t1").toBe(true);
      expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
    }
  });

  it("draws the process column first in the task list, and only with several targets", () => {
    const view = twoProcesses();
    const ui = initialUiState();
    const several = renderTaskList(view.tasks(), ui.tasks, 140, 10, null).map(strip);
    expect(several[1]!.startsWith("Proc         ID Name")).toBe(true);
    expect(several.slice(2).filter((l) => l.startsWith("4243/t1 ")).length).toBe(2);
    expect(taskColumnCount(view.tasks())).toBe(13);
    const one = createEngineViewStore();
    for (const u of channelLockDeadlockUpdates()) one.applyUpdate(u);
    const single = renderTaskList(one.view().tasks(), ui.tasks, 140, 10, null).map(strip);
    expect(single[1]!.startsWith("   ID Name")).toBe(true);
    expect(taskColumnCount(one.view().tasks())).toBe(12);
  });
});
