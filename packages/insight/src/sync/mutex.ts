/**
 * An async mutex shaped like tokio::sync::Mutex: `await mutex.lock()` gives a
 * guard; `guard.value` is the protected value; `guard.release()` (or `using`)
 * unlocks. The lock passes to waiters in FIFO order.
 *
 * With insight on, a console sees `locked`, the holder (`insight.owners`
 * holder:<task>), and each blocked `lock()` as "waiting for lock held by
 * task N".
 */
import { holderText, instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { LiveResource, LiveTask } from "../private/records.js";
import { block, finish, updateReasons, WaitQueue, Waiter } from "../private/wait-queue.js";
import { ReleaseOnce } from "../private/release-once.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

export class MutexGuard<T> extends ReleaseOnce {
  readonly #mutex: Mutex<T>;

  /** @internal */
  constructor(mutex: Mutex<T>, release: () => void, resource: LiveResource | undefined) {
    super(release, resource);
    this.#mutex = mutex;
  }

  get value(): T {
    this.#check();
    return this.#mutex.unsafeValue;
  }

  set value(value: T) {
    this.#check();
    this.#mutex.unsafeValue = value;
  }

  #check(): void {
    if (this.released) throw new Error("this MutexGuard was released");
  }
}

export class Mutex<T = undefined> {
  /** @internal the guarded value; read through a guard. */
  unsafeValue: T;
  #locked = false;
  readonly #waiters = new WaitQueue<MutexGuard<T>>();
  readonly #resource: LiveResource | undefined;
  #holder: LiveTask | undefined;

  constructor(value?: T, options?: PrimitiveOptions) {
    const { name } = checkPrimitiveOptions(options);
    this.unsafeValue = value as T;
    this.#resource = instrument(this, "Mutex", name, Mutex);
  }

  get locked(): boolean {
    return this.#locked;
  }

  /** Waits for the lock. */
  lock(options?: WaitOptions): Promise<MutexGuard<T>> {
    options = checkWaitOptions(options);
    if (!this.#locked) return Promise.resolve(this.#acquire(taskIf(this.#resource)));
    return block(this.#waiters, new Waiter<MutexGuard<T>>(), {
      resource: this.#resource,
      source: "Mutex::lock",
      reason: () => `waiting for lock held by ${holderText(this.#holder)}`,
      below: this.lock,
      signal: options?.signal,
    });
  }

  /** The lock if it is free now, else undefined. */
  tryLock(): MutexGuard<T> | undefined {
    return this.#locked ? undefined : this.#acquire(taskIf(this.#resource));
  }

  /** Runs `fn` with the lock held and releases it afterwards, however `fn` ends. */
  async runExclusive<R>(fn: (value: T) => R | PromiseLike<R>, options?: WaitOptions): Promise<R> {
    const guard = await this.lock(options);
    try {
      return await fn(guard.value);
    } finally {
      guard.release();
    }
  }

  /** @internal */
  describe() {
    return { locked: this.#locked, "insight.owners": owners(this.#locked ? [["holder", this.#holder]] : []) };
  }

  #acquire(holder: LiveTask | undefined): MutexGuard<T> {
    this.#locked = true;
    this.#holder = holder;
    touch(this.#resource);
    return new MutexGuard(this, () => this.#unlock(), this.#resource);
  }

  #unlock(): void {
    const next = this.#waiters.shift();
    if (!next) {
      this.#locked = false;
      this.#holder = undefined;
      touch(this.#resource);
      return;
    }
    // Hand the lock straight to the next waiter, so nobody can barge in between.
    const guard = this.#acquire(next.task);
    finish(next);
    if (this.#resource) updateReasons(this.#waiters, `waiting for lock held by ${holderText(next.task)}`);
    next.resolve(guard);
  }
}
