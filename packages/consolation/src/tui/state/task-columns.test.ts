import { describe, expect, it } from "vitest";
import { arrangeTasks, TASK_COLUMNS } from "./task-columns.js";
import type { TaskRow } from "./view-model.js";

function row(id: string, total: bigint, polls: bigint, withNanos: boolean): TaskRow {
  return {
    key: id,
    protocolId: BigInt(id),
    id,
    name: `t${id}`,
    kind: "task",
    state: "idle",
    share: { running: 0, ready: 0, blocked: 1 },
    recent: [],
    totalNs: total,
    busyNs: 0n,
    scheduledNs: 0n,
    idleNs: total,
    polls,
    nanos: withNanos ? { total: Number(total), busy: 0, scheduled: 0, idle: Number(total), polls: Number(polls) } : undefined,
    location: "",
    fields: "",
    warnings: 0,
  };
}

const TOTAL = TASK_COLUMNS.findIndex((c) => c.header === "Total");
const POLLS = TASK_COLUMNS.findIndex((c) => c.header === "Polls");

describe("task columns sorted by durations", () => {
  const spec: [string, bigint, bigint][] = [
    ["1", 5n, 9n],
    ["2", 700n, 1n],
    ["3", 5n, 3n],
    ["4", 40n, 3n],
  ];

  it("orders rows with numbers exactly as rows with only bigints", () => {
    for (const [column, descending] of [
      [TOTAL, true],
      [TOTAL, false],
      [POLLS, true],
    ] as const) {
      const fast = arrangeTasks(
        spec.map(([id, t, p]) => row(id, t, p, true)),
        column,
        descending,
        "",
      ).map((r) => r.id);
      const slow = arrangeTasks(
        spec.map(([id, t, p]) => row(id, t, p, false)),
        column,
        descending,
        "",
      ).map((r) => r.id);
      expect(fast).toEqual(slow);
    }
    expect(
      arrangeTasks(
        spec.map(([id, t, p]) => row(id, t, p, true)),
        TOTAL,
        true,
        "",
      ).map((r) => r.id),
    ).toEqual(["2", "4", "1", "3"]);
  });

  it("falls back to the bigints when only some rows carry numbers", () => {
    const mixed = spec.map(([id, t, p], i) => row(id, t, p, i % 2 === 0));
    expect(arrangeTasks(mixed, POLLS, false, "").map((r) => r.id)).toEqual(["2", "3", "4", "1"]);
  });
});
