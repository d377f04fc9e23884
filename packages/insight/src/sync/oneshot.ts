/**
 * A oneshot channel shaped like tokio::sync::oneshot: one value, sent once.
 * `const [tx, rx] = oneshot()`; `tx.send(v)`; `await rx` (or `rx.recv()`).
 * Dropping the sender unsent fails the receiver with RecvError.
 *
 * With insight on: `tx_dropped`, `rx_dropped`, `value_sent`,
 * `value_received`, owners `sender:<task>` / `receiver:<task>`.
 */
import { drop, instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { ResourceRecord, TaskRecord } from "../private/records.js";
import { block, finish, WaitQueue, Waiter } from "../private/wait-queue.js";
import { RecvError } from "./errors.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";

class OneshotState<T> {
  value: T | undefined;
  sent = false;
  received = false;
  txDropped = false;
  rxDropped = false;
  readonly waiters = new WaitQueue<T>();
  resource: ResourceRecord | undefined;
  sender: TaskRecord | undefined;
  receiver: TaskRecord | undefined;

  describe() {
    const pairs: [string, TaskRecord | undefined][] = [];
    if (!this.txDropped && !this.sent) pairs.push(["sender", this.sender]);
    if (!this.rxDropped && !this.received) pairs.push(["receiver", this.receiver]);
    return {
      tx_dropped: this.txDropped,
      rx_dropped: this.rxDropped,
      value_sent: this.sent,
      value_received: this.received,
      "insight.owners": owners(pairs),
    };
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
    return this.#recv(options, this.recv);
  }

  #recv(options: WaitOptions | undefined, below: Function): Promise<T> {
    const s = this.#state;
    if (s.resource) {
      const task = taskIf(s.resource);
      if (task !== s.receiver) {
        s.receiver = task;
        touch(s.resource);
      }
    }
    if (s.sent) {
      s.received = true;
      touch(s.resource);
      return Promise.resolve(s.value as T);
    }
    if (s.txDropped || s.rxDropped) return Promise.reject(new RecvError());
    return block(s.waiters, new Waiter<T>(), {
      resource: s.resource,
      source: "Receiver::await",
      reason: () => `waiting for a value from ${s.sender ? `task ${s.sender.taskId}` : "the sender"}`,
      below,
      signal: options?.signal,
    });
  }

  /** The value if already sent, else undefined. */
  tryRecv(): T | undefined {
    const s = this.#state;
    if (!s.sent) return undefined;
    s.received = true;
    touch(s.resource);
    return s.value;
  }

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
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
export function oneshot<T>(options: PrimitiveOptions = {}): [OneshotSender<T>, OneshotReceiver<T>] {
  const state = new OneshotState<T>();
  state.resource = instrument(state, "Oneshot", options.name, oneshot);
  state.sender = state.receiver = taskIf(state.resource);
  return [new OneshotSender(state), new OneshotReceiver(state)];
}
