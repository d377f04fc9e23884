import { describe, expect, it } from "vitest";
import { Barrier } from "./barrier.js";
import { RecvError } from "./errors.js";
import { Notify } from "./notify.js";
import { oneshot } from "./oneshot.js";
import { interval, sleep } from "./time.js";

describe("oneshot", () => {
  it("delivers one value to an awaiting receiver", async () => {
    const [tx, rx] = oneshot<number>();
    const got = rx.recv();
    expect(tx.send(4)).toBe(true);
    expect(tx.send(5)).toBe(false);
    expect(await got).toBe(4);
    expect(await rx).toBe(4);
  });

  it("fails the receiver when the sender is dropped", async () => {
    const [tx, rx] = oneshot<number>();
    const got = rx.recv();
    tx.drop();
    await expect(got).rejects.toBeInstanceOf(RecvError);
  });

  it("refuses to send once the receiver is gone", () => {
    const [tx, rx] = oneshot<number>();
    rx.drop();
    expect(tx.closed).toBe(true);
    expect(tx.send(1)).toBe(false);
  });
});

describe("Barrier", () => {
  it("releases everyone at the size-th arrival with exactly one leader", async () => {
    const b = new Barrier(3);
    const results = await Promise.all([b.wait(), b.wait(), b.wait()]);
    expect(results.filter((r) => r.isLeader)).toHaveLength(1);
  });

  it("a cancelled arrival does not count", async () => {
    const b = new Barrier(2);
    const abort = new AbortController();
    const cancelled = b.wait({ signal: abort.signal });
    abort.abort();
    await expect(cancelled).rejects.toMatchObject({ name: "AbortError" });
    let released = false;
    const waiting = b.wait().then(() => (released = true));
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(false);
    await b.wait();
    await waiting;
  });
});

describe("Notify", () => {
  it("stores one permit when nobody waits", async () => {
    const n = new Notify();
    n.notifyOne();
    n.notifyOne();
    await n.notified();
    let woke = false;
    const waiting = n.notified().then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    n.notifyWaiters();
    await waiting;
  });
});

describe("timers", () => {
  it("sleep resolves and can be aborted", async () => {
    await sleep(1);
    const abort = new AbortController();
    const s = sleep(60_000, { signal: abort.signal });
    abort.abort(new Error("stop"));
    await expect(s).rejects.toThrow("stop");
  });

  it("interval ticks immediately, then after each period", async () => {
    const i = interval(1);
    let ticks = 0;
    for await (const _ of i) {
      if (++ticks === 3) break;
    }
    i.stop();
    await expect(i.tick()).rejects.toThrow(new Error("interval stopped"));
  });
});
