import { describe, expect, it } from "vitest";
import { ClosedError } from "./errors.js";
import { Mutex, MutexGuard } from "./mutex.js";
import { RwLock } from "./rwlock.js";
import { Semaphore } from "./semaphore.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("Mutex", () => {
  it("serialises holders in FIFO order", async () => {
    const m = new Mutex(0);
    const order: number[] = [];
    const first = await m.lock();
    const waiting = [1, 2].map((n) => m.lock().then((g) => (order.push(n), g.release())));
    expect(m.locked).toBe(true);
    first.value = 10;
    first.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2]);
    expect(m.locked).toBe(false);
    expect((await m.lock()).value).toBe(10);
  });

  it("tryLock and runExclusive", async () => {
    const m = new Mutex<string[]>([]);
    const g = m.tryLock();
    expect(g).toBeInstanceOf(MutexGuard);
    expect(m.tryLock()).toBeUndefined();
    g!.release();
    g!.release();
    await m.runExclusive((list) => list.push("x"));
    expect(m.locked).toBe(false);
    await expect(m.runExclusive(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(m.locked).toBe(false);
  });

  it("an aborted lock never acquires", async () => {
    const m = new Mutex();
    const held = await m.lock();
    const abort = new AbortController();
    const cancelled = m.lock({ signal: abort.signal });
    abort.abort();
    await expect(cancelled).rejects.toMatchObject({ name: "AbortError" });
    held.release();
    expect(m.locked).toBe(false);
  });

  it("a released guard refuses access", async () => {
    const g = await new Mutex(1).lock();
    g.release();
    expect(() => g.value).toThrow(new Error("this MutexGuard was released"));
  });
});

describe("RwLock", () => {
  it("shares reads and excludes writes; a queued writer blocks new readers", async () => {
    const lock = new RwLock({ n: 0 });
    const r1 = await lock.read();
    const r2 = await lock.read();
    let wrote = false;
    const writing = lock.write().then((w) => {
      wrote = true;
      w.value = { n: 1 };
      w.release();
    });
    let lateRead = false;
    const reading = lock.read().then((r) => {
      lateRead = true;
      expect(r.value.n).toBe(1);
      r.release();
    });
    await settle();
    expect(wrote).toBe(false);
    expect(lateRead).toBe(false);
    r1.release();
    r2.release();
    await Promise.all([writing, reading]);
    expect(wrote && lateRead).toBe(true);
  });

  it("read guards cannot write", async () => {
    const r = await new RwLock(1).read();
    expect(() => (r.value = 2)).toThrow(new Error("a read guard cannot write"));
  });
});

describe("Semaphore", () => {
  it("grants permits in FIFO order and returns them", async () => {
    const s = new Semaphore(2);
    const a = await s.acquire(2);
    expect(s.availablePermits).toBe(0);
    const order: string[] = [];
    const big = s.acquire(2).then((p) => (order.push("big"), p));
    const small = s.acquire(1).then((p) => (order.push("small"), p));
    a.release();
    (await big).release();
    (await small).release();
    expect(order).toEqual(["big", "small"]);
    expect(s.availablePermits).toBe(2);
  });

  it("a cancelled head of line lets smaller requests through", async () => {
    const s = new Semaphore(1);
    const abort = new AbortController();
    const big = s.acquire(2, { signal: abort.signal });
    let got = false;
    const small = s.acquire(1).then((p) => ((got = true), p));
    await settle();
    expect(got).toBe(false);
    abort.abort();
    await expect(big).rejects.toMatchObject({ name: "AbortError" });
    (await small).release();
    expect(s.availablePermits).toBe(1);
  });

  it("close fails waiters", async () => {
    const s = new Semaphore(0);
    const waiting = s.acquire();
    s.close();
    await expect(waiting).rejects.toBeInstanceOf(ClosedError);
    await expect(waiting).rejects.toThrow("semaphore closed");
    expect(s.tryAcquire()).toBeUndefined();
  });
});
