/**
 * Acceptance: the multi-line ari-subscriber trace of the receiver /
 * sender-task program (seed 001) must yield the classification reached by
 * hand — a self-wake for the receiver, a wake from sender-task, a wake from
 * outside the runtime — and the same polls and enter/exit structure.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WakeAnalysis } from "../wake-graph/wake-analysis.js";
import { readTraceText } from "./collect.js";

const text = readFileSync(new URL("./testdata/seed-001-multiline.txt", import.meta.url), "utf8");
const RECEIVER = "2251799813685250";
const SENDER = "2251799813685251";

function analyse() {
  const read = readTraceText(text);
  const analysis = new WakeAnalysis({ keepDetails: true });
  for (const e of read.events) analysis.event(e);
  return { read, report: analysis.finish() };
}

describe("seed 001 (ari multi-line form)", () => {
  it("is detected as ari text and reads without problems", () => {
    const { read } = analyse();
    expect(read.format).toBe("ari");
    expect(read.problems).toEqual([]);
    // 35 records: 6 of the program's own logs, 5 waker events, 24 span events.
    expect(read.events).toHaveLength(35);
    expect(read.events.filter((e) => e.type === "log")).toHaveLength(6);
    expect(read.events.filter((e) => e.type === "span")).toHaveLength(24);
    expect(read.events.filter((e) => e.type === "waker")).toHaveLength(5);
  });

  it("keeps the record's first line number and the span ids in brackets", () => {
    const { read } = analyse();
    const first = read.events[0]!;
    expect(first).toMatchObject({ type: "span", phase: "new", line: 1, span: { id: "2", name: "runtime.spawn", kind: "task" } });
    const selfWake = read.events.find((e) => e.type === "waker")!;
    expect(selfWake).toMatchObject({ op: "wake_by_ref", taskSpanId: RECEIVER, scope: [{ id: RECEIVER, fields: { "task.name": "receiver", "task.id": 3 } }] });
    expect(selfWake.line).toBe(text.split("\n").findIndex((l) => l.includes("waker.wake_by_ref")) - 1);
  });

  it("classifies the three wakes as the post does by hand", () => {
    const { report } = analyse();
    const wakes = report.wakes.map((w) => ({ op: w.op, cause: w.cause, by: w.by?.name, woken: w.woken?.name, certain: w.certain }));
    expect(wakes).toEqual([
      { op: "wake_by_ref", cause: "self", by: "receiver", woken: "receiver", certain: true },
      { op: "wake", cause: "task", by: "sender-task", woken: "receiver", certain: true },
      { op: "wake", cause: "outside", by: undefined, woken: "receiver", certain: true },
    ]);
    expect(report.joinable).toBe(true);
  });

  it("counts polls, not the enter/exit that drops a finished task", () => {
    const { report } = analyse();
    const byName = Object.fromEntries(report.tasks.map((t) => [t.task.name, t]));
    // receiver: first poll (self-wake), re-poll (clone, Pending), first message, second message + None.
    expect(byName["receiver"]).toMatchObject({ polls: 4, dropEnters: 1, wakes: 3, selfWakes: 1, wakerClones: 2, wakerDrops: 2 });
    expect(byName["sender-task"]).toMatchObject({ polls: 1, dropEnters: 1, wakes: 0 });
    expect(byName["dummy"]).toMatchObject({ polls: 1, dropEnters: 1 });
    expect(report.tasks.every((t) => t.closedNs !== undefined)).toBe(true);
  });

  it("times each poll and the wait between wake and poll", () => {
    const { report } = analyse();
    const receiver = report.polls.filter((p) => p.task.spanId === RECEIVER);
    expect(receiver.map((p) => p.busyNs)).toEqual([171_000n, 112_000n, 214_000n, 212_000n]);
    // Spawn → first poll; self-wake inside poll 1 → poll 2 starts 55µs after poll 1 ends;
    // sender-task's wake at .508753 → .509039; the thread's wake at .519585 → .519695.
    expect(receiver.map((p) => p.scheduledNs)).toEqual([396_000n, 55_000n, 286_000n, 110_000n]);
  });

  it("draws the causality graph along waker edges", () => {
    const { report } = analyse();
    const edges = report.edges.map((e) => `${typeof e.from === "string" ? e.from : e.from.name}->${e.to?.name}:${e.count}`);
    expect(edges.sort()).toEqual(["outside->receiver:1", "receiver->receiver:1", "sender-task->receiver:1"]);
    expect(report.edges.find((e) => typeof e.from !== "string" && e.from.spanId === SENDER)?.self).toBe(false);
  });
});
