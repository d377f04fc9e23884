/**
 * A counting semaphore shaped like tokio::sync::Semaphore: `acquire(n)` waits
 * for n permits and returns a Permit to release them. FIFO: a large request at
 * the head is not overtaken by small ones, as in tokio.
 *
 * Calls take `(count, options)`: `acquire()`, `acquire(2)`,
 * `acquire(1, { signal })`. A count that is not a whole number of at least 1
 * throws a TypeError at once (it is never queued, so it cannot hold up the
 * waiters behind it).
 *
 * With insight on: `permits` (available), `insight.capacity` (total),
 * holders as `permit:<task>` (once per permit held), and each blocked acquire
 * as an async op with `insight.requested`.
 */
import { instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { LiveResource, LiveTask } from "../private/records.js";
import { block, finish, rejectAll, WaitQueue, Waiter } from "../private/wait-queue.js";
import { ClosedError } from "./errors.js";
import { ReleaseOnce } from "../private/release-once.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkCount, checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

interface AcquireWaiter extends Waiter<Permit> {
  count: number;
}

/** Permits held; `release()` returns them. */
export class Permit extends ReleaseOnce {
  readonly count: number;

  /** @internal */
  constructor(count: number, release: () => void, resource: LiveResource | undefined) {
    super(release, resource, count);
    this.count = count;
  }
}

export class Semaphore {
  #permits: number;
  /** Permits in existence, held or not (tokio: initial permits plus add_permits). */
  #capacity: number;
  #closed = false;
  readonly #waiters = new WaitQueue<Permit>();
  readonly #resource: LiveResource | undefined;
  /** Holders and how many permits each holds (instrumented only). */
  readonly #holders = new Map<LiveTask | undefined, number>();

  constructor(permits: number, options?: PrimitiveOptions) {
    checkCount(permits, "Semaphore permits", 0);
    const { name } = checkPrimitiveOptions(options);
    this.#permits = this.#capacity = permits;
    this.#resource = instrument(this, "Semaphore", name, Semaphore);
  }

  get availablePermits(): number {
    return this.#permits;
  }

  /** Waits for `count` permits (default 1). Rejects with ClosedError once closed, or with the signal's reason. */
  acquire(count = 1, options?: WaitOptions): Promise<Permit> {
    checkCount(count, "acquire count");
    options = checkWaitOptions(options);
    if (this.#closed) return Promise.reject(new ClosedError("semaphore closed"));
    if (this.#waiters.size === 0 && this.#permits >= count) return Promise.resolve(this.#grant(count, taskIf(this.#resource)));
    const waiter = new Waiter<Permit>() as AcquireWaiter;
    waiter.count = count;
    return block(this.#waiters, waiter, {
      resource: this.#resource,
      source: "Semaphore::acquire",
      reason: () => `waiting for ${count} permit${count === 1 ? "" : "s"} (${this.#permits} available)`,
      extra: { "insight.requested": count },
      below: this.acquire,
      signal: options?.signal,
      // A cancelled head of line may unblock smaller requests behind it.
      onCancel: () => this.#dispatch(),
    });
  }

  tryAcquire(count = 1): Permit | undefined {
    checkCount(count, "tryAcquire count");
    if (this.#closed || this.#waiters.size > 0 || this.#permits < count) return undefined;
    return this.#grant(count, taskIf(this.#resource));
  }

  /** Adds permits (tokio's add_permits). */
  addPermits(count: number): void {
    checkCount(count, "addPermits count");
    this.#capacity += count;
    this.#giveBack(count);
  }

  /** Fails every current and future acquire. */
  close(): void {
    this.#closed = true;
    rejectAll(this.#waiters, () => new ClosedError("semaphore closed"));
    touch(this.#resource);
  }

  /** @internal */
  describe() {
    const pairs: [string, LiveTask | undefined][] = [];
    for (const [task, n] of this.#holders) for (let i = 0; i < n; i++) pairs.push(["permit", task]);
    return { permits: this.#permits, closed: this.#closed, "insight.capacity": this.#capacity, "insight.owners": owners(pairs) };
  }

  #giveBack(count: number): void {
    this.#permits += count;
    this.#dispatch();
    touch(this.#resource);
  }

  #grant(count: number, task: LiveTask | undefined): Permit {
    this.#permits -= count;
    if (this.#resource) this.#holders.set(task, (this.#holders.get(task) ?? 0) + count);
    touch(this.#resource);
    return new Permit(
      count,
      () => {
        if (this.#resource) {
          const left = (this.#holders.get(task) ?? 0) - count;
          if (left > 0) this.#holders.set(task, left);
          else this.#holders.delete(task);
        }
        this.#giveBack(count);
      },
      this.#resource,
    );
  }

  #dispatch(): void {
    for (
      let head = this.#waiters.peek() as AcquireWaiter | undefined;
      head && head.count <= this.#permits;
      head = this.#waiters.peek() as AcquireWaiter | undefined
    ) {
      this.#waiters.shift();
      const permit = this.#grant(head.count, head.task);
      finish(head);
      head.resolve(permit);
    }
  }
}
