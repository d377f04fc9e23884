import { expect, it } from "vitest";
import { MessageQueue } from "./message-queue.js";

it("refuses items past the byte cap (one oversized item still fits an empty queue) and past the count", () => {
  const queue = new MessageQueue<string>(3, { maxBytes: 10, sizeOf: (s) => s.length });
  expect(queue.push("x".repeat(12))).toBe(true); // alone: taken
  expect(queue.push("y")).toBe(false); // 13 > 10
  const small = new MessageQueue<string>(3, { maxBytes: 10, sizeOf: (s) => s.length });
  expect([small.push("aaaa"), small.push("bbbb"), small.push("cccc")]).toEqual([true, true, false]);
  expect([small.size, small.bytes]).toEqual([2, 8]);
  const counted = new MessageQueue<string>(2);
  expect([counted.push("a"), counted.push("b"), counted.push("c")]).toEqual([true, true, false]);
});

it("fail() drops what was queued and makes the consumer's iteration throw that error", async () => {
  const queue = new MessageQueue<string>(8, { maxBytes: 100, sizeOf: (s) => s.length });
  queue.push("one");
  queue.push("two");
  const error = new Error("fell behind");
  queue.fail(error);
  expect([queue.size, queue.bytes]).toEqual([0, 0]);
  const seen: string[] = [];
  const outcome = await (async () => {
    for await (const item of queue) seen.push(item);
  })().catch((e: unknown) => e);
  expect(seen).toEqual([]);
  expect(outcome).toBe(error);
  expect(queue.push("three")).toBe(false);
});
