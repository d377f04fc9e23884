/**
 * A counting semaphore shaped like tokio::sync::Semaphore: `acquire(n)` waits
 * for n permits and returns a Permit to release them. FIFO: a large request at
 * the head is not overtaken by small ones, as in tokio.
 *
 * With insight on: `permits` (available), holders as `permit:<task>` (once per
 * permit held), and each blocked acquire as an async op.
 */
import { instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { ResourceRecord, TaskRecord } from "../private/records.js";
import { block, finish, rejectAll, WaitQueue, Waiter } from "../private/wait-queue.js";
import { ClosedError } from "./errors.js";
import { ReleaseOnce } from "../private/release-once.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";

interface AcquireWaiter extends Waiter<Permit> {
  count: number;
}

/** Permits held; `release()` returns them. */
export class Permit extends ReleaseOnce {
  readonly count: number;

  /** @internal */
  constructor(count: number, release: () => void) {
    super(release);
    this.count = count;
  }
}

export class Semaphore {
  #permits: number;
  #closed = false;
  readonly #waiters = new WaitQueue<Permit>();
  readonly #resource: ResourceRecord | undefined;
  /** Holders and how many permits each holds (instrumented only). */
  readonly #holders = new Map<TaskRecord | undefined, number>();

  constructor(permits: number, options: PrimitiveOptions = {}) {
    if (!(permits >= 0) || !Number.isInteger(permits)) throw new RangeError(`permits must be a whole number, got ${permits}`);
    this.#permits = permits;
    this.#resource = instrument(this, "Semaphore", options.name, Semaphore);
  }

  get availablePermits(): number {
    return this.#permits;
  }

  acquire(count = 1, options?: WaitOptions): Promise<Permit> {
    if (this.#closed) return Promise.reject(new ClosedError("semaphore closed"));
    if (this.#waiters.size === 0 && this.#permits >= count) return Promise.resolve(this.#grant(count, taskIf(this.#resource)));
    const waiter = new Waiter<Permit>() as AcquireWaiter;
    waiter.count = count;
    return block(this.#waiters, waiter, {
      resource: this.#resource,
      source: "Semaphore::acquire",
      reason: () => `waiting for ${count} permit${count === 1 ? "" : "s"} (${this.#permits} available)`,
      below: this.acquire,
      signal: options?.signal,
      // A cancelled head of line may unblock smaller requests behind it.
      onCancel: () => this.#dispatch(),
    });
  }

  tryAcquire(count = 1): Permit | undefined {
    if (this.#closed || this.#waiters.size > 0 || this.#permits < count) return undefined;
    return this.#grant(count, taskIf(this.#resource));
  }

  /** Adds permits (tokio's add_permits). */
  addPermits(count: number): void {
    this.#permits += count;
    this.#dispatch();
    touch(this.#resource);
  }

  /** Fails every current and future acquire. */
  close(): void {
    this.#closed = true;
    rejectAll(this.#waiters, () => new ClosedError("semaphore closed"));
    touch(this.#resource);
  }

  /** @internal */
  describe() {
    const pairs: [string, TaskRecord | undefined][] = [];
    for (const [task, n] of this.#holders) for (let i = 0; i < n; i++) pairs.push(["permit", task]);
    return { permits: this.#permits, closed: this.#closed, "insight.owners": owners(pairs) };
  }

  #grant(count: number, task: TaskRecord | undefined): Permit {
    this.#permits -= count;
    if (this.#resource) this.#holders.set(task, (this.#holders.get(task) ?? 0) + count);
    touch(this.#resource);
    return new Permit(count, () => {
      if (this.#resource) {
        const left = (this.#holders.get(task) ?? 0) - count;
        if (left > 0) this.#holders.set(task, left);
        else this.#holders.delete(task);
      }
      this.addPermits(count);
    });
  }

  #dispatch(): void {
    for (let head = this.#waiters.peek() as AcquireWaiter | undefined; head && head.count <= this.#permits; head = this.#waiters.peek() as AcquireWaiter | undefined) {
      this.#waiters.shift();
      const permit = this.#grant(head.count, head.task);
      finish(head);
      head.resolve(permit);
    }
  }
}
