import { describe, expect, it } from "vitest";
import { Timeline } from "./timeline.js";

const EPOCH = 1_000n;

describe("Timeline", () => {
  it("keeps the newest `capacity` entries, oldest first, once it wraps", () => {
    const timeline = new Timeline(5);
    for (let at = 1; at <= 12; at++) timeline.state(at, at % 2 ? "idle" : "running");
    expect(timeline.length).toBe(5);
    expect(timeline.entries(EPOCH).map((e) => (e.type === "state" ? e.at : undefined))).toEqual([1008n, 1009n, 1010n, 1011n, 1012n]);
  });

  it("grows to the capacity without losing entries", () => {
    const timeline = new Timeline(64);
    for (let at = 0; at < 40; at++) timeline.wake(at, BigInt(at));
    const wakers = timeline.entries(EPOCH).map((e) => (e.type === "wake" ? e.waker : undefined));
    expect(wakers).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i)));
  });

  it("closes an open poll and names a waker after the ring has wrapped", () => {
    const timeline = new Timeline(3);
    timeline.poll(1, 2);
    timeline.poll(3, 4);
    timeline.wake(5, undefined);
    timeline.poll(6, undefined);
    expect(timeline.closePoll(6, 9)).toBe(true);
    expect(timeline.closePoll(6, 10)).toBe(false);
    expect(timeline.attributeWake(7n, 5)).toBe(true);
    expect(timeline.entries(EPOCH)).toEqual([
      { type: "poll", start: 1003n, end: 1004n },
      { type: "wake", at: 1005n, waker: 7n },
      { type: "poll", start: 1006n, end: 1009n },
    ]);
    const spans: [string, number, number][] = [];
    timeline.forEachSpan((type, a, b) => spans.push([type, a, b]), 99);
    expect(spans).toEqual([
      ["poll", 3, 4],
      ["poll", 6, 9],
    ]);
  });

  it("reports an open poll as running to the given end", () => {
    const timeline = new Timeline(4);
    timeline.scheduled(1, 2);
    timeline.poll(2, undefined);
    const spans: [string, number, number][] = [];
    timeline.forEachSpan((type, a, b) => spans.push([type, a, b]), 50);
    expect(spans).toEqual([
      ["scheduled", 1, 2],
      ["poll", 2, 50],
    ]);
  });
});

describe("Timeline packing", () => {
  it("keeps each entry's kind and exact times before the epoch and far after it", () => {
    const timeline = new Timeline(8);
    timeline.wake(-7, 3n);
    timeline.scheduled(-7, -2);
    timeline.poll(-2, 2 ** 50 + 1);
    timeline.state(2 ** 50 + 1, "completed");
    expect(timeline.entries(EPOCH)).toEqual([
      { type: "wake", at: 993n, waker: 3n },
      { type: "scheduled", start: 993n, end: 998n },
      { type: "poll", start: 998n, end: 1000n + 2n ** 50n + 1n },
      { type: "state", at: 1000n + 2n ** 50n + 1n, state: "completed" },
    ]);
  });

  it("drops only the entries more than 2^51 ns older than a new one", () => {
    const timeline = new Timeline(4);
    timeline.state(0, "idle");
    timeline.state(10, "running");
    timeline.state(2 ** 51 + 5, "idle");
    expect(timeline.entries(0n)).toEqual([
      { type: "state", at: 10n, state: "running" },
      { type: "state", at: 2n ** 51n + 5n, state: "idle" },
    ]);
    expect(timeline.closePoll(10, 11)).toBe(false);
  });
});
