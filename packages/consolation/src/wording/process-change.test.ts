import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { judgeFirstUpdate, RestartDetector, TaskBirths } from "./process-change.js";

const T0 = 1_800_000_000_000_000_000n;

/** An update listing tasks by span id with their creation time (ns after T0). */
function tasksUpdate(tasks: ReadonlyArray<readonly [span: bigint, createdNs: bigint, dropped?: boolean]>): Update {
  return create(UpdateSchema, {
    now: nanosToTimestamp(T0 + 10_000_000_000n),
    taskUpdate: {
      newTasks: tasks.map(([span]) => ({ id: { id: span } })),
      statsUpdate: Object.fromEntries(
        tasks.map(([span, created, dropped]) => [
          span.toString(),
          { createdAt: nanosToTimestamp(T0 + created), ...(dropped ? { droppedAt: nanosToTimestamp(T0 + created + 5n) } : {}) },
        ]),
      ),
    },
  });
}

describe("judging a reconnect's first update", () => {
  const known = new Map([
    ["1", T0 + 100n],
    ["2", T0 + 200n],
  ]);
  const lookup = (span: string) => known.get(span);

  it("is the same process when one task keeps its span id and creation time", () => {
    expect(
      judgeFirstUpdate(
        tasksUpdate([
          [7n, 900n],
          [2n, 200n],
        ]),
        lookup,
      ),
    ).toBe("same");
  });

  it("is a new process when the same span ids come with other creation times", () => {
    expect(
      judgeFirstUpdate(
        tasksUpdate([
          [1n, 5_000n],
          [2n, 5_001n],
        ]),
        lookup,
      ),
    ).toBe("new");
  });

  it("is a new process when the first update lists no task at all", () => {
    expect(judgeFirstUpdate(create(UpdateSchema, { now: nanosToTimestamp(T0) }), lookup)).toBe("new");
  });
});

describe("RestartDetector", () => {
  it("never calls the first connection's data a restart, and judges only the first update after each reconnect", () => {
    const births = new TaskBirths();
    const detector = new RestartDetector(births.createdAt);
    const first = tasksUpdate([[1n, 100n]]);
    detector.connected();
    expect(detector.startsNewProcess(first)).toBe(false);
    births.observe(first);
    // Reconnect to the same process: task 1 again, same creation time.
    detector.connected();
    expect(
      detector.startsNewProcess(
        tasksUpdate([
          [1n, 100n],
          [3n, 300n],
        ]),
      ),
    ).toBe(false);
    // Later updates of a connection are never judged, whatever they list.
    expect(detector.startsNewProcess(tasksUpdate([[9n, 9_000n]]))).toBe(false);
    // Reconnect to a restarted process: span 1 is another task now.
    detector.connected();
    expect(detector.startsNewProcess(tasksUpdate([[1n, 20_000n]]))).toBe(true);
  });

  it("forgets tasks that ended, so only live tasks can prove the same process", () => {
    const births = new TaskBirths();
    births.observe(
      tasksUpdate([
        [1n, 100n],
        [2n, 200n],
      ]),
    );
    births.observe(tasksUpdate([[1n, 100n, true]]));
    expect(births.createdAt("1")).toBeUndefined();
    expect(births.createdAt("2")).toBe(T0 + 200n);
  });
});
