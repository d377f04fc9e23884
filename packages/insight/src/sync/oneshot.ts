/**
 * A oneshot channel shaped like tokio::sync::oneshot: one value, sent once.
 * `const [tx, rx] = oneshot()`; `tx.send(v)`; `await rx` (or `rx.recv()`).
 * Dropping the sender unsent fails the receiver with RecvError.
 *
 * With insight on: `tx_dropped`, `rx_dropped`, `value_sent`,
 * `value_received`, owners `sender:<task>` / `receiver:<task>` for tasks that
 * used that end. The creator is not an owner: a oneshot is usually made by
 * the task that awaits it and handed to another that sends, so "made by" says
 * nothing about who will send.
 */
import { drop, instrument, owners, taskIf, touch } from "../private/instrument.js";
import { RecentTasks } from "../private/recent-tasks.js";
import type { LiveResource, LiveTask } from "../private/records.js";
import { block, finish, WaitQueue, Waiter } from "../private/wait-queue.js";
import { RecvError } from "./errors.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

class OneshotState<T> {
  value: T | undefined;
  sent = false;
  received = false;
  txDropped = false;
  rxDropped = false;
  readonly waiters = new WaitQueue<T>();
  resource: LiveResource | undefined;
  readonly senders = new RecentTasks();
  readonly receivers = new RecentTasks();

  describe() {
    const pairs: [string, LiveTask | undefined][] = [];
    if (!this.txDropped && !this.sent) for (const task of this.senders) pairs.push(["sender", task]);
    if (!this.rxDropped && !this.received) for (const task of this.receivers) pairs.push(["receiver", task]);
    return {
      tx_dropped: this.txDropped,
      rx_dropped: this.rxDropped,
      value_sent: this.sent,
      value_received: this.received,
      "insight.owners": owners(pairs),
    };
  }

  noteSender(): void {
    if (this.resource !== undefined && this.senders.note(taskIf(this.resource))) touch(this.resource);
  }

  noteReceiver(): void {
    if (this.resource !== undefined && this.receivers.note(taskIf(this.resource))) touch(this.resource);
  }
}

export class OneshotSender<T> {
  readonly #state: OneshotState<T>;

  /** @internal */
  constructor(state: OneshotState<T>) {
    this.#state = state;
  }

  /** Sends the value; false if already sent, dropped, or the receiver is gone. */
  send(value: T): boolean {
    const s = this.#state;
    s.noteSender();
    if (s.sent || s.txDropped || s.rxDropped) return false;
    s.sent = true;
    s.value = value;
    for (let w = s.waiters.shift(); w; w = s.waiters.shift()) {
      s.received = true;
      finish(w);
      w.resolve(value);
    }
    touch(s.resource);
    return true;
  }

  /** Gives up without sending: the receiver fails with RecvError. */
  drop(): void {
    const s = this.#state;
    if (s.txDropped) return;
    s.txDropped = true;
    if (!s.sent) {
      for (let w = s.waiters.shift(); w; w = s.waiters.shift()) {
        finish(w);
        w.reject(new RecvError());
      }
    }
    touch(s.resource);
    if (s.received || s.rxDropped) drop(s.resource);
  }

  get closed(): boolean {
    return this.#state.rxDropped;
  }

  [Symbol.dispose](): void {
    this.drop();
  }
}

export class OneshotReceiver<T> implements PromiseLike<T> {
  readonly #state: OneshotState<T>;

  /** @internal */
  constructor(state: OneshotState<T>) {
    this.#state = state;
  }

  /** The value, waiting for it; rejects with RecvError if the sender is dropped first. */
  recv(options?: WaitOptions): Promise<T> {
    return this.#recv(checkWaitOptions(options), this.recv);
  }

  #recv(options: WaitOptions | undefined, below: Function): Promise<T> {
    const s = this.#state;
    s.noteReceiver();
    if (s.sent) {
      s.received = true;
      touch(s.resource);
      return Promise.resolve(s.value as T);
    }
    if (s.txDropped || s.rxDropped) return Promise.reject(new RecvError());
    return block(s.waiters, new Waiter<T>(), {
      resource: s.resource,
      source: "Receiver::await",
      // Never a task id: whoever holds the sender may send, and which task
      // that is, insight cannot know.
      reason: () => "waiting for a value from the sender",
      below,
      signal: options?.signal,
    });
  }

  /** The value if already sent, else undefined. */
  tryRecv(): T | undefined {
    const s = this.#state;
    s.noteReceiver();
    if (!s.sent) return undefined;
    s.received = true;
    touch(s.resource);
    return s.value;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Receiver is awaited like a promise, as tokio awaits a oneshot::Receiver
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#recv(undefined, this.then).then(onFulfilled, onRejected);
  }

  /** Gives up the receiving end: the sender's send returns false from now on. */
  drop(): void {
    const s = this.#state;
    if (s.rxDropped) return;
    s.rxDropped = true;
    touch(s.resource);
    if (s.txDropped || s.sent) drop(s.resource);
  }

  [Symbol.dispose](): void {
    this.drop();
  }
}

/** A new oneshot channel: `[sender, receiver]`. */
export function oneshot<T>(options?: PrimitiveOptions): [OneshotSender<T>, OneshotReceiver<T>] {
  const { name } = checkPrimitiveOptions(options);
  const state = new OneshotState<T>();
  state.resource = instrument(state, "Oneshot", name, oneshot);
  return [new OneshotSender(state), new OneshotReceiver(state)];
}
