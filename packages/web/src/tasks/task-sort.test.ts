import { describe, expect, it } from "vitest";
import type { WebTaskRow } from "../api/types.ts";
import { compareBy, matchesFilter } from "./task-sort.ts";

const row = (id: string, name: string, busyMs: number, state: WebTaskRow["state"] = "idle"): WebTaskRow => ({
  key: id,
  id,
  name,
  kind: "task",
  state,
  location: "src/main.rs:1",
  fields: "tenant=acme",
  totalMs: 10,
  busyMs,
  scheduledMs: 0,
  idleMs: 0,
  polls: 1,
  warnings: 0,
});

describe("task sorting and filtering", () => {
  it("sorts ids numerically, even past 2^53", () => {
    const rows = [row("10", "a", 1), row("9", "b", 1), row("18446744073709551615", "c", 1)];
    expect(rows.sort(compareBy("id", false)).map((r) => r.id)).toEqual(["9", "10", "18446744073709551615"]);
  });

  it("sorts by a numeric column, descending, ties by id", () => {
    const rows = [row("1", "a", 5), row("2", "b", 50), row("3", "c", 5)];
    expect(rows.sort(compareBy("busyMs", true)).map((r) => r.id)).toEqual(["2", "1", "3"]);
  });

  it("matches every word anywhere in the row", () => {
    expect(matchesFilter(row("1", "worker", 1, "blocked"), "work BLOCKED")).toBe(true);
    expect(matchesFilter(row("1", "worker", 1), "acme main.rs")).toBe(true);
    expect(matchesFilter(row("1", "worker", 1), "worker running")).toBe(false);
  });
});
