/**
 * A readers-writer lock shaped like tokio::sync::RwLock: many readers or one
 * writer, FIFO and write-preferring (a queued writer stops new readers from
 * overtaking it), so writers cannot starve.
 *
 * With insight on: `write_locked`, `current_readers`, `max_readers`, owners
 * `holder:<task>` for the writer and `reader:<task>` per reader.
 */
import { holderText, instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { LiveResource, LiveTask } from "../private/records.js";
import { block, finish, updateReasons, WaitQueue, Waiter } from "../private/wait-queue.js";
import { ReleaseOnce } from "../private/release-once.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

export class RwLockGuard<T> extends ReleaseOnce {
  readonly #lock: RwLock<T>;
  readonly writable: boolean;

  /** @internal */
  constructor(lock: RwLock<T>, writable: boolean, release: () => void, resource: LiveResource | undefined) {
    super(release, resource);
    this.#lock = lock;
    this.writable = writable;
  }

  get value(): T {
    if (this.released) throw new Error("this RwLock guard was released");
    return this.#lock.unsafeValue;
  }

  set value(value: T) {
    if (this.released || !this.writable) throw new Error("a read guard cannot write");
    this.#lock.unsafeValue = value;
  }
}

interface LockWaiter<T> extends Waiter<RwLockGuard<T>> {
  write: boolean;
}

const MAX_READERS = 0x1fffffff;

export class RwLock<T = undefined> {
  /** @internal */
  unsafeValue: T;
  #readers = 0;
  #writer = false;
  readonly #waiters = new WaitQueue<RwLockGuard<T>>();
  readonly #resource: LiveResource | undefined;
  #writeHolder: LiveTask | undefined;
  readonly #readHolders = new Map<LiveTask | undefined, number>();

  constructor(value?: T, options?: PrimitiveOptions) {
    const { name } = checkPrimitiveOptions(options);
    this.unsafeValue = value as T;
    this.#resource = instrument(this, "RwLock", name, RwLock);
  }

  read(options?: WaitOptions): Promise<RwLockGuard<T>> {
    options = checkWaitOptions(options);
    if (!this.#writer && this.#waiters.size === 0) return Promise.resolve(this.#grantRead(taskIf(this.#resource)));
    return this.#wait(false, this.read, options);
  }

  write(options?: WaitOptions): Promise<RwLockGuard<T>> {
    options = checkWaitOptions(options);
    if (!this.#writer && this.#readers === 0 && this.#waiters.size === 0) return Promise.resolve(this.#grantWrite(taskIf(this.#resource)));
    return this.#wait(true, this.write, options);
  }

  tryRead(): RwLockGuard<T> | undefined {
    return !this.#writer && this.#waiters.size === 0 ? this.#grantRead(taskIf(this.#resource)) : undefined;
  }

  tryWrite(): RwLockGuard<T> | undefined {
    return !this.#writer && this.#readers === 0 ? this.#grantWrite(taskIf(this.#resource)) : undefined;
  }

  /** @internal */
  describe() {
    const pairs: [string, LiveTask | undefined][] = [];
    if (this.#writer) pairs.push(["holder", this.#writeHolder]);
    for (const [task, n] of this.#readHolders) for (let i = 0; i < n; i++) pairs.push(["reader", task]);
    return { write_locked: this.#writer, current_readers: this.#readers, max_readers: MAX_READERS, "insight.owners": owners(pairs) };
  }

  #reason(): string {
    if (this.#writer) return `waiting for lock held by ${holderText(this.#writeHolder)}`;
    const readers = [...this.#readHolders.keys()].map(holderText);
    return readers.length > 0 ? `waiting for lock held by readers (${readers.join(", ")})` : "waiting for queued writers";
  }

  #wait(write: boolean, below: Function, options: WaitOptions | undefined): Promise<RwLockGuard<T>> {
    const waiter = new Waiter<RwLockGuard<T>>() as LockWaiter<T>;
    waiter.write = write;
    return block(this.#waiters, waiter, {
      resource: this.#resource,
      source: write ? "RwLock::write" : "RwLock::read",
      reason: () => this.#reason(),
      below,
      signal: options?.signal,
      onCancel: () => this.#dispatch(),
    });
  }

  #grantRead(task: LiveTask | undefined): RwLockGuard<T> {
    this.#readers++;
    if (this.#resource) this.#readHolders.set(task, (this.#readHolders.get(task) ?? 0) + 1);
    touch(this.#resource);
    return new RwLockGuard(
      this,
      false,
      () => {
        this.#readers--;
        if (this.#resource) {
          const left = (this.#readHolders.get(task) ?? 1) - 1;
          if (left > 0) this.#readHolders.set(task, left);
          else this.#readHolders.delete(task);
        }
        this.#dispatch();
        touch(this.#resource);
      },
      this.#resource,
    );
  }

  #grantWrite(task: LiveTask | undefined): RwLockGuard<T> {
    this.#writer = true;
    this.#writeHolder = task;
    touch(this.#resource);
    return new RwLockGuard(
      this,
      true,
      () => {
        this.#writer = false;
        this.#writeHolder = undefined;
        this.#dispatch();
        touch(this.#resource);
      },
      this.#resource,
    );
  }

  #dispatch(): void {
    for (;;) {
      const head = this.#waiters.peek() as LockWaiter<T> | undefined;
      if (!head || this.#writer) break;
      if (head.write) {
        if (this.#readers > 0) break;
        this.#waiters.shift();
        const guard = this.#grantWrite(head.task);
        finish(head);
        head.resolve(guard);
        break;
      }
      this.#waiters.shift();
      const guard = this.#grantRead(head.task);
      finish(head);
      head.resolve(guard);
    }
    if (this.#resource) updateReasons(this.#waiters, this.#reason());
  }
}
