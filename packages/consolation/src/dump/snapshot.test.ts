import { expect, it } from "vitest";
import { manyTasksUpdate } from "../tui/testing/story-updates.js";
import { foldSnapshot } from "./snapshot.js";

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
