/**
 * Issue 16 item 6: every primitive takes `(options)` or `(count, options)`;
 * a wrong argument throws a TypeError at the call site (never a rejected
 * promise, never a queued wait); a signal aborts a queued acquire; a bad
 * acquire never blocks the queue behind it.
 */
import { describe, expect, it } from "vitest";
import { Barrier } from "./barrier.js";
import { Channel } from "./channel.js";
import { Mutex } from "./mutex.js";
import { Notify } from "./notify.js";
import { oneshot } from "./oneshot.js";
import { RwLock } from "./rwlock.js";
import { Semaphore } from "./semaphore.js";
import { interval, sleep } from "./time.js";

const settle = () => new Promise((resolve) => setImmediate(resolve));
const BAD_COUNTS: unknown[] = [0, -1, 1.5, "2", NaN, { signal: new AbortController().signal }, null];

describe("counts", () => {
  it.each(BAD_COUNTS)("Semaphore.acquire(%o) throws a TypeError synchronously", (count) => {
    const s = new Semaphore(3);
    expect(() => s.acquire(count as number)).toThrow(TypeError);
    expect(() => s.tryAcquire(count as number)).toThrow(TypeError);
    expect(() => s.addPermits(count as number)).toThrow(TypeError);
    expect(s.availablePermits).toBe(3);
  });

  it("names the argument and the value in the message", () => {
    const s = new Semaphore(3);
    expect(() => s.acquire({ signal: AbortSignal.timeout(1) } as never)).toThrow("acquire count must be a whole number of at least 1, got an object");
    expect(() => s.acquire("2" as never)).toThrow('acquire count must be a whole number of at least 1, got "2"');
    expect(() => s.acquire(1.5)).toThrow("acquire count must be a whole number of at least 1, got 1.5");
  });

  it.each([-1, 1.5, "2", {}, Infinity])("new Semaphore(%o) throws a TypeError", (permits) => {
    expect(() => new Semaphore(permits as number)).toThrow(TypeError);
  });

  it("new Semaphore(0) is valid: every acquire waits for addPermits", async () => {
    const s = new Semaphore(0);
    const waiting = s.acquire();
    s.addPermits(1);
    expect((await waiting).count).toBe(1);
  });

  it.each(BAD_COUNTS)("Channel and Barrier reject %o as a size", (count) => {
    expect(() => new Channel(count as number)).toThrow(TypeError);
    expect(() => new Barrier(count as number)).toThrow(TypeError);
  });

  it.each([-1, NaN, "5", Infinity, {}])("sleep(%o) throws a TypeError", (ms) => {
    expect(() => sleep(ms as number)).toThrow(TypeError);
  });

  it.each([0, -1, "5", Infinity])("interval(%o) throws a TypeError", (ms) => {
    expect(() => interval(ms as number)).toThrow(TypeError);
  });
});

describe("options", () => {
  it.each([["a string"], [5], [null], [["name"]]])("constructors refuse %o as options", (options) => {
    expect(() => new Mutex(0, options as never)).toThrow(TypeError);
    expect(() => new RwLock(0, options as never)).toThrow(TypeError);
    expect(() => new Semaphore(1, options as never)).toThrow(TypeError);
    expect(() => new Channel(1, options as never)).toThrow(TypeError);
    expect(() => new Barrier(1, options as never)).toThrow(TypeError);
    expect(() => new Notify(options as never)).toThrow(TypeError);
    expect(() => oneshot(options as never)).toThrow(TypeError);
  });

  it("refuses a name that is not a string", () => {
    expect(() => new Notify({ name: 5 } as never)).toThrow("options.name must be a string, got 5");
  });

  it("wait calls refuse a signal that is not an AbortSignal, synchronously", () => {
    const bad = { signal: { aborted: false } } as never;
    expect(() => new Mutex().lock(bad)).toThrow("options.signal must be an AbortSignal, got an object");
    expect(() => new RwLock().read(bad)).toThrow(TypeError);
    expect(() => new RwLock().write(bad)).toThrow(TypeError);
    expect(() => new Semaphore(1).acquire(1, bad)).toThrow(TypeError);
    expect(() => new Channel(1).send(1, bad)).toThrow(TypeError);
    expect(() => new Channel(1).recv(bad)).toThrow(TypeError);
    expect(() => new Notify().notified(bad)).toThrow(TypeError);
    expect(() => new Barrier(2).wait(bad)).toThrow(TypeError);
    expect(() => oneshot()[1].recv(bad)).toThrow(TypeError);
    expect(() => sleep(1, bad)).toThrow(TypeError);
  });
});

describe("the acquire queue", () => {
  it("a bad acquire on a free Semaphore(3) throws and never blocks the acquires behind it", async () => {
    const s = new Semaphore(3);
    const abort = new AbortController();
    expect(() => s.acquire({ signal: abort.signal } as never)).toThrow(TypeError);
    const permit = await s.acquire(1);
    expect(permit.count).toBe(1);
    expect(s.availablePermits).toBe(2);
  });

  it("a signal aborts a queued acquire, and the next in line gets the permits", async () => {
    const s = new Semaphore(1);
    const held = await s.acquire();
    const abort = new AbortController();
    const queued = s.acquire(1, { signal: abort.signal });
    const next = s.acquire(1);
    abort.abort(new Error("no longer needed"));
    await expect(queued).rejects.toThrow(new Error("no longer needed"));
    held.release();
    expect((await next).count).toBe(1);
    expect(s.availablePermits).toBe(0);
  });

  it("an acquire for more than the semaphore has waits, and can be aborted without holding up others", async () => {
    const s = new Semaphore(3);
    const abort = new AbortController();
    const tooBig = s.acquire(5, { signal: abort.signal });
    let small = false;
    const smallOne = s.acquire(1).then((p) => ((small = true), p));
    await settle();
    // FIFO: the head of line waits for permits that may be added; the small one queues behind it.
    expect(small).toBe(false);
    abort.abort();
    await expect(tooBig).rejects.toMatchObject({ name: "AbortError" });
    expect((await smallOne).count).toBe(1);
  });
});
