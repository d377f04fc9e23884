/**
 * A multi-producer, single-consumer channel, bounded or unbounded, shaped
 * like tokio::sync::mpsc: `send` waits for capacity, `recv` for a message,
 * `close` stops senders while the receiver drains what is left.
 *
 * Use it directly (`channel.send`, `channel.recv`, `for await`) or through
 * handles: `channel.sender()` makes a Sender that can be cloned and dropped
 * (dropping the last handle closes the channel, as in tokio), and
 * `channel.receiver()` gives the one Receiver.
 *
 * With insight on, a console sees capacity, len, high_water, who has used
 * each end (`insight.owners`: `receiver:` the tasks that received, `sender:`
 * the tasks that sent, through the channel or a Sender; never merely the
 * creator, since creating a channel is not evidence of using it), and every
 * blocked send or recv as an async op.
 */
import type { LiveResource, LiveTask } from "../private/records.js";
import { drop, instrument, owners, taskIf, touch } from "../private/instrument.js";
import { RecentTasks } from "../private/recent-tasks.js";
import { block, finish, rejectAll, wakeFirst, WaitQueue, Waiter } from "../private/wait-queue.js";
import { ChannelClosedError } from "./errors.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkCount, checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

const CLOSED: unique symbol = Symbol("closed");
type Closed = typeof CLOSED;

interface SendWaiter<T> extends Waiter<void> {
  value: T;
}

export class Channel<T> implements AsyncIterable<T> {
  readonly #capacity: number;
  #items: T[] = [];
  #head = 0;
  #closed = false;
  #receiverDropped = false;
  readonly #receivers = new WaitQueue<T | Closed>();
  readonly #senders = new WaitQueue<void>();
  #highWater = 0;
  #handles = 0;
  #receiver: Receiver<T> | undefined;
  readonly #resource: LiveResource | undefined;
  /** Tasks that received / sent lately (instrumented only). */
  readonly #receiverTasks = new RecentTasks();
  readonly #senderTasks = new RecentTasks();

  /** `capacity` omitted (or Infinity) makes the channel unbounded. */
  constructor(capacity: number = Infinity, options?: PrimitiveOptions) {
    checkCount(capacity, "Channel capacity", 1, true);
    const { name } = checkPrimitiveOptions(options);
    this.#capacity = capacity;
    this.#resource = instrument(this, "Channel", name, Channel);
  }

  /** Messages buffered now. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** True once closed (explicitly, by dropping every sender, or by dropping the receiver). */
  get closed(): boolean {
    return this.#closed || this.#receiverDropped;
  }

  /** Sends `value`, waiting while the channel is full. Rejects with ChannelClosedError when closed. */
  send(value: T, options?: WaitOptions): Promise<void> {
    return this.#send(value, options, this.send);
  }

  /** Sends without waiting: false when the channel is full or closed. */
  trySend(value: T): boolean {
    this.#noteSender();
    if (this.closed || (this.#receivers.size === 0 && this.length >= this.#capacity)) return false;
    this.#deliver(value);
    return true;
  }

  /** The next message, waiting for one; undefined once closed and drained. */
  recv(options?: WaitOptions): Promise<T | undefined> {
    return this.#recv(options, this.recv).then(orUndefined);
  }

  /** A buffered message, or undefined when none is ready. */
  tryRecv(): T | undefined {
    this.#noteReceiver();
    if (this.length === 0) return undefined;
    return this.#take();
  }

  /** Stops senders; the receiver still gets what is buffered. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    rejectAll(this.#senders, () => new ChannelClosedError());
    if (this.length === 0) {
      for (let w = this.#receivers.shift(); w; w = this.#receivers.shift()) {
        finish(w);
        w.resolve(CLOSED);
      }
    }
    touch(this.#resource);
  }

  /** A new sender handle; the channel closes when every handle made this way is dropped. */
  sender(): Sender<T> {
    return new Sender(this, this.#handle());
  }

  /** The channel's receiver handle (one per channel). */
  receiver(): Receiver<T> {
    return (this.#receiver ??= new Receiver(this, this.#handle()));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.receiver()[Symbol.asyncIterator]();
  }

  /** @internal */
  describe() {
    const pairs: [string, LiveTask | undefined][] = [];
    if (!this.#receiverDropped) for (const task of this.#receiverTasks) pairs.push(["receiver", task]);
    if (!this.closed) for (const task of this.#senderTasks) pairs.push(["sender", task]);
    return {
      capacity: Number.isFinite(this.#capacity) ? this.#capacity : undefined,
      len: this.length,
      high_water: this.#highWater,
      closed: this.closed,
      "insight.owners": owners(pairs),
    };
  }

  #handle(): Internals<T> {
    return {
      send: (value, options, below) => this.#send(value, options, below),
      trySend: (value) => this.trySend(value),
      recv: (options, below) => this.#recv(options, below),
      tryRecv: () => this.tryRecv(),
      addSender: () => {
        this.#handles++;
      },
      dropSender: () => {
        if (--this.#handles === 0) this.close();
        touch(this.#resource);
      },
      dropReceiver: () => {
        if (this.#receiverDropped) return;
        this.#receiverDropped = true;
        this.#items = [];
        this.#head = 0;
        rejectAll(this.#senders, () => new ChannelClosedError("receiver dropped"));
        touch(this.#resource);
        if (this.#closed) drop(this.#resource);
      },
      isClosed: () => this.closed,
      length: () => this.length,
    };
  }

  #send(value: T, options: WaitOptions | undefined, below: Function): Promise<void> {
    options = checkWaitOptions(options);
    this.#noteSender();
    if (this.closed) return Promise.reject(new ChannelClosedError(this.#receiverDropped ? "receiver dropped" : "channel closed"));
    if (this.#receivers.size > 0 || this.length < this.#capacity) {
      this.#deliver(value);
      return Promise.resolve();
    }
    const waiter = new Waiter<void>() as SendWaiter<T>;
    waiter.value = value;
    return block(this.#senders, waiter, {
      resource: this.#resource,
      source: "Channel::send",
      reason: () => "send: waiting on channel capacity",
      below,
      signal: options?.signal,
      onCancel: () => touch(this.#resource),
    });
  }

  #recv(options: WaitOptions | undefined, below: Function): Promise<T | Closed> {
    options = checkWaitOptions(options);
    this.#noteReceiver();
    if (this.length > 0) return Promise.resolve(this.#take());
    if (this.closed) return Promise.resolve(CLOSED);
    return block(this.#receivers, new Waiter<T | Closed>(), {
      resource: this.#resource,
      source: "Channel::recv",
      reason: () => "waiting for a message",
      below,
      signal: options?.signal,
      onCancel: () => touch(this.#resource),
    });
  }

  /** Evidence of use of the receiving end: this task received (or tried to). */
  #noteReceiver(): void {
    if (this.#resource !== undefined && this.#receiverTasks.note(taskIf(this.#resource))) touch(this.#resource);
  }

  /** Evidence of use of the sending end: this task sent (or tried to). */
  #noteSender(): void {
    if (this.#resource !== undefined && this.#senderTasks.note(taskIf(this.#resource))) touch(this.#resource);
  }

  /** Hands a value to a waiting receiver, or buffers it. */
  #deliver(value: T): void {
    if (this.#receivers.size > 0) {
      wakeFirst(this.#receivers, value);
    } else {
      this.#items.push(value);
      const length = this.length;
      if (length > this.#highWater) this.#highWater = length;
    }
    touch(this.#resource);
  }

  #take(): T {
    const value = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined as T;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    // Room was made: the longest-waiting sender's message moves in.
    const sender = this.#senders.shift() as SendWaiter<T> | undefined;
    if (sender) {
      this.#items.push(sender.value);
      finish(sender);
      sender.resolve();
    } else if (this.#closed && this.length === 0) {
      drop(this.#resource);
    }
    touch(this.#resource);
    return value;
  }
}

function orUndefined<T>(value: T | Closed): T | undefined {
  return value === CLOSED ? undefined : value;
}

interface Internals<T> {
  send(value: T, options: WaitOptions | undefined, below: Function): Promise<void>;
  trySend(value: T): boolean;
  recv(options: WaitOptions | undefined, below: Function): Promise<T | Closed>;
  tryRecv(): T | undefined;
  addSender(): void;
  dropSender(): void;
  dropReceiver(): void;
  isClosed(): boolean;
  length(): number;
}

/** A sending handle. Clone it to share, drop it when done: the last drop closes the channel. */
export class Sender<T> {
  readonly #channel: Channel<T>;
  readonly #internals: Internals<T>;
  #dropped = false;

  /** @internal use `channel.sender()` */
  constructor(channel: Channel<T>, internals: Internals<T>) {
    this.#channel = channel;
    this.#internals = internals;
    internals.addSender();
  }

  send(value: T, options?: WaitOptions): Promise<void> {
    if (this.#dropped) return Promise.reject(new ChannelClosedError("sender dropped"));
    return this.#internals.send(value, options, this.send);
  }

  trySend(value: T): boolean {
    return !this.#dropped && this.#internals.trySend(value);
  }

  clone(): Sender<T> {
    return this.#channel.sender();
  }

  /** Gives the handle up. Idempotent. */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#internals.dropSender();
  }

  get closed(): boolean {
    return this.#dropped || this.#internals.isClosed();
  }

  [Symbol.dispose](): void {
    this.drop();
  }
}

/** The receiving handle. */
export class Receiver<T> implements AsyncIterable<T> {
  readonly #internals: Internals<T>;
  #dropped = false;

  /** @internal use `channel.receiver()` */
  constructor(_channel: Channel<T>, internals: Internals<T>) {
    this.#internals = internals;
  }

  recv(options?: WaitOptions): Promise<T | undefined> {
    if (this.#dropped) return Promise.resolve(undefined);
    return this.#internals.recv(options, this.recv).then(orUndefined);
  }

  tryRecv(): T | undefined {
    return this.#dropped ? undefined : this.#internals.tryRecv();
  }

  get length(): number {
    return this.#internals.length();
  }

  /** Gives the receiving end up: buffered messages are discarded and senders fail from now on. */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#internals.dropReceiver();
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const internals = this.#internals;
    const next = (): Promise<IteratorResult<T>> => {
      if (this.#dropped) return Promise.resolve({ done: true, value: undefined });
      return internals.recv(undefined, next).then((value) => (value === CLOSED ? { done: true, value: undefined } : { done: false, value }));
    };
    return {
      next,
      return: () => Promise.resolve({ done: true, value: undefined }),
    };
  }
}
