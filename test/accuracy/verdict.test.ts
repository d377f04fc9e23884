/** The accuracy judge's counting rules, on hand-written reports (no processes). */
import { describe, expect, it } from "vitest";
import { judge, relevantProblems, taskName, type ObservedProblem } from "./verdict.js";

const problem = (lint: string, severity: string, tasks: string[], where: string[] = []): ObservedProblem => ({
  lint,
  severity,
  summary: `${lint} summary`,
  tasks,
  locations: where.map((w) => ({ where: w, what: "" })),
});

describe("accuracy verdicts", () => {
  it("reads task names from check's labels, names with spaces included", () => {
    expect(taskName("task 4 process-jobs")).toBe("process-jobs");
    expect(taskName("task 12 GET /process")).toBe("GET /process");
    expect(taskName("task 7")).toBe("");
    expect(taskName({ id: 3, name: "worker" })).toBe("worker");
  });

  it("keeps the stuck lints at warning or error and every other error, nothing else", () => {
    const kept = relevantProblems([
      problem("deadlock-cycle", "error", ["a"]),
      problem("likely-deadlock", "warning", ["a"]),
      problem("blocked-on-full-channel", "warning", ["a"]),
      problem("detached-task", "info", ["a"]),
      problem("some-new-error", "error", ["a"]),
    ]);
    expect(kept.map((p) => p.lint)).toEqual(["deadlock-cycle", "likely-deadlock", "some-new-error"]);
  });

  it("matches task names as a multiset, in any order", () => {
    const j = judge([{ lint: "deadlock-cycle", tasks: ["transfer", "transfer"] }], [problem("deadlock-cycle", "error", ["transfer", "transfer"])]);
    expect([j.matched.length, j.misses.length, j.falseAlarms.length]).toEqual([1, 0, 0]);
    const short = judge([{ lint: "deadlock-cycle", tasks: ["transfer", "transfer"] }], [problem("deadlock-cycle", "error", ["transfer"])]);
    expect(short.misses.map((m) => m.lint)).toEqual(["deadlock-cycle"]);
    expect(short.alsoReported.map((f) => f.tasks)).toEqual([["transfer"]]);
  });

  it("counts any stuck lint on a clean case as a false alarm", () => {
    const j = judge("clean", [problem("never-woken", "error", ["reloader"]), problem("blocked-on-full-channel", "warning", ["reader"])]);
    expect(j.falseAlarms.map((f) => f.lint)).toEqual(["never-woken"]);
    expect(j.misses).toEqual([]);
  });

  it("does not count a problem about tasks of an expected problem as a false alarm; the wrong lint is still a miss", () => {
    const expected = [{ lint: "likely-deadlock", tasks: ["producer", "consumer"] }];
    const j = judge(expected, [
      problem("likely-deadlock", "warning", ["consumer", "producer"]),
      problem("lock-held-while-idle", "warning", ["producer", "consumer"]),
    ]);
    expect(j.alsoReported.map((p) => p.lint)).toEqual(["lock-held-while-idle"]);
    expect(j.falseAlarms).toEqual([]);
    const overclaim = judge(expected, [problem("deadlock-cycle", "error", ["consumer", "producer"])]);
    expect(overclaim.misses.map((m) => m.lint)).toEqual(["likely-deadlock"]);
    expect(overclaim.falseAlarms).toEqual([]);
    expect(overclaim.alsoReported.map((f) => f.lint)).toEqual(["deadlock-cycle"]);
    const elsewhere = judge(expected, [problem("likely-deadlock", "warning", ["producer", "consumer"]), problem("deadlock-cycle", "error", ["logger"])]);
    expect(elsewhere.falseAlarms.map((f) => f.tasks)).toEqual([["logger"]]);
  });

  it("requires the pinned lines: the wrong await site is a miss", () => {
    const expected = [{ lint: "deadlock-cycle", tasks: ["t", "t"], lines: { file: "abba.mjs", include: [17, 27], exclude: [15, 25] } }];
    const right = judge(expected, [
      problem(
        "deadlock-cycle",
        "error",
        ["t", "t"],
        ["test/accuracy/node/abba.mjs:17:28", "test/accuracy/node/abba.mjs:27:29", "test/accuracy/node/abba.mjs:11:3"],
      ),
    ]);
    expect(right.matched.length).toBe(1);
    const wrong = judge(expected, [problem("deadlock-cycle", "error", ["t", "t"], ["test/accuracy/node/abba.mjs:17:28", "test/accuracy/node/abba.mjs:25:29"])]);
    expect(wrong.misses.length).toBe(1);
    expect(wrong.notes[0]).toContain("expected abba.mjs:27; must not point at abba.mjs:25");
  });

  it("counts one stuck group reported in parts as a miss, but the parts as no false alarm", () => {
    const expected = [{ lint: "deadlock-cycle", tasks: ["client", "server"] }];
    const split = judge(expected, [problem("deadlock-cycle", "error", ["client"]), problem("deadlock-cycle", "error", ["server"])]);
    expect([split.matched.length, split.misses.length, split.falseAlarms.length, split.alsoReported.length]).toEqual([0, 1, 0, 2]);
    const partial = judge([{ lint: "deadlock-cycle", tasks: ["writer", "reader", "auditor"] }], [problem("deadlock-cycle", "error", ["writer", "reader"])]);
    expect(partial.misses.length).toBe(1);
    expect(partial.falseAlarms).toEqual([]);
    expect(partial.alsoReported.map((f) => f.tasks)).toEqual([["writer", "reader"]]);
  });
});
