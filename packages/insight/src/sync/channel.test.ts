import { describe, expect, it } from "vitest";
import { Channel } from "./channel.js";
import { ChannelClosedError } from "./errors.js";

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Channel (plain, insight off)", () => {
  it("delivers in order and waits for capacity", async () => {
    const ch = new Channel<number>(1);
    await ch.send(1);
    let second = false;
    const sending = ch.send(2).then(() => (second = true));
    await settle();
    expect(second).toBe(false);
    expect(ch.length).toBe(1);
    expect(await ch.recv()).toBe(1);
    await sending;
    expect(second).toBe(true);
    expect(await ch.recv()).toBe(2);
  });

  it("trySend refuses when full; tryRecv when empty", () => {
    const ch = new Channel<string>(1);
    expect(ch.tryRecv()).toBeUndefined();
    expect(ch.trySend("a")).toBe(true);
    expect(ch.trySend("b")).toBe(false);
    expect(ch.tryRecv()).toBe("a");
  });

  it("hands a message straight to a waiting receiver", async () => {
    const ch = new Channel<number>(1);
    const got = ch.recv();
    expect(ch.trySend(7)).toBe(true);
    expect(await got).toBe(7);
    expect(ch.length).toBe(0);
  });

  it("close lets the receiver drain, then ends iteration; senders fail", async () => {
    const ch = new Channel<number>();
    await ch.send(1);
    await ch.send(2);
    ch.close();
    await expect(ch.send(3)).rejects.toBeInstanceOf(ChannelClosedError);
    const seen: number[] = [];
    for await (const v of ch) seen.push(v);
    expect(seen).toEqual([1, 2]);
    expect(await ch.recv()).toBeUndefined();
  });

  it("close rejects blocked senders without delivering their items", async () => {
    const ch = new Channel<number>(1);
    await ch.send(1);
    const blocked = ch.send(2);
    ch.close();
    await expect(blocked).rejects.toBeInstanceOf(ChannelClosedError);
    expect(await ch.recv()).toBe(1);
    expect(await ch.recv()).toBeUndefined();
  });

  it("closes when the last sender handle is dropped", async () => {
    const ch = new Channel<number>(4);
    const tx = ch.sender();
    const tx2 = tx.clone();
    await tx.send(1);
    tx.drop();
    expect(ch.closed).toBe(false);
    await tx2.send(2);
    tx2.drop();
    expect(ch.closed).toBe(true);
    const rx = ch.receiver();
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    expect(await rx.recv()).toBeUndefined();
  });

  it("dropping the receiver fails senders", async () => {
    const ch = new Channel<number>(1);
    const tx = ch.sender();
    await tx.send(1);
    const blocked = tx.send(2);
    ch.receiver().drop();
    await expect(blocked).rejects.toThrow("receiver dropped");
    await expect(tx.send(3)).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it("an aborted recv leaves no phantom waiter and loses no message", async () => {
    const ch = new Channel<number>(1);
    const abort = new AbortController();
    const cancelled = ch.recv({ signal: abort.signal });
    abort.abort(new Error("gave up"));
    await expect(cancelled).rejects.toThrow("gave up");
    await ch.send(5);
    // Had the cancelled waiter stayed queued, it would have swallowed 5.
    expect(ch.length).toBe(1);
    expect(await ch.recv()).toBe(5);
  });

  it("an aborted send neither delivers its item nor blocks others", async () => {
    const ch = new Channel<number>(1);
    await ch.send(1);
    const abort = new AbortController();
    const cancelled = ch.send(2, { signal: abort.signal });
    const kept = ch.send(3);
    abort.abort();
    await expect(cancelled).rejects.toBeInstanceOf(DOMException);
    await expect(cancelled).rejects.toMatchObject({ name: "AbortError" });
    expect(await ch.recv()).toBe(1);
    await kept;
    expect(await ch.recv()).toBe(3);
    expect(ch.length).toBe(0);
  });

  it("a receive that completed before an abort keeps its message", async () => {
    const ch = new Channel<number>(1);
    const abort = new AbortController();
    const got = ch.recv({ signal: abort.signal });
    ch.trySend(9);
    abort.abort();
    expect(await got).toBe(9);
  });

  it("rejects an already-aborted signal without queueing", async () => {
    const ch = new Channel<number>(1);
    await expect(ch.recv({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: "AbortError" });
    ch.trySend(1);
    expect(ch.length).toBe(1);
  });

  it("validates capacity", () => {
    expect(() => new Channel(0)).toThrow(TypeError);
    expect(() => new Channel(0)).toThrow("Channel capacity must be a whole number of at least 1 or Infinity, got 0");
    expect(new Channel(Infinity).capacity).toBe(Infinity);
  });
});
