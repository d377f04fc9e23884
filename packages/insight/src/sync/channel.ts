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
 * With insight on, a console sees capacity, len, high_water, who owns each
 * end (`insight.owners`), and every blocked send or recv as an async op.
 */
import type { ResourceRecord, TaskRecord } from "../private/records.js";
import { drop, instrument, owners, taskIf, touch } from "../private/instrument.js";
import { block, finish, rejectAll, wakeFirst, WaitQueue, Waiter } from "../private/wait-queue.js";
import { ChannelClosedError } from "./errors.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";

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
  readonly #resource: ResourceRecord | undefined;
  #receiverOwner: TaskRecord | undefined;
  #creator: TaskRecord | undefined;
  readonly #senderOwners = new Map<Sender<T>, TaskRecord | undefined>();

  /** `capacity` omitted (or Infinity) makes the channel unbounded. */
  constructor(capacity: number = Infinity, options: PrimitiveOptions = {}) {
    if (!(capacity >= 1)) throw new RangeError(`channel capacity must be at least 1, got ${capacity}`);
    this.#capacity = capacity;
    this.#resource = instrument(this, "Channel", options.name, Channel);
    this.#creator = this.#receiverOwner = taskIf(this.#resource);
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
    return this.#send(value, options, this.send, undefined);
  }

  /** Sends without waiting: false when the channel is full or closed. */
  trySend(value: T): boolean {
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
    if (this.length === 0) return undefined;
    this.#noteReceiver();
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
    const pairs: [string, TaskRecord | undefined][] = [];
    if (!this.#receiverDropped) pairs.push(["receiver", this.#receiverOwner]);
    if (!this.#closed) {
      const seen = new Set<TaskRecord>();
      if (this.#handles === 0 && this.#creator) seen.add(this.#creator);
      for (const owner of this.#senderOwners.values()) if (owner) seen.add(owner);
      for (const owner of seen) pairs.push(["sender", owner]);
    }
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
      send: (value, options, below, sender) => this.#send(value, options, below, sender),
      trySend: (value) => this.trySend(value),
      recv: (options, below) => this.#recv(options, below),
      tryRecv: () => this.tryRecv(),
      addSender: (sender) => {
        this.#handles++;
        if (this.#resource) this.#senderOwners.set(sender, taskIf(this.#resource));
        touch(this.#resource);
      },
      dropSender: (sender) => {
        this.#senderOwners.delete(sender);
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

  #send(value: T, options: WaitOptions | undefined, below: Function, sender: Sender<T> | undefined): Promise<void> {
    if (this.closed) return Promise.reject(new ChannelClosedError(this.#receiverDropped ? "receiver dropped" : "channel closed"));
    if (sender !== undefined && this.#resource !== undefined) {
      const task = taskIf(this.#resource);
      if (this.#senderOwners.get(sender) !== task) {
        this.#senderOwners.set(sender, task);
        touch(this.#resource);
      }
    }
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
    if (this.#resource !== undefined) this.#noteReceiver();
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

  /** The receiving end belongs to whichever task receives (a receiver is used by one task at a time). */
  #noteReceiver(): void {
    if (this.#resource === undefined) return;
    const task = taskIf(this.#resource);
    if (task !== this.#receiverOwner) {
      this.#receiverOwner = task;
      touch(this.#resource);
    }
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
  send(value: T, options: WaitOptions | undefined, below: Function, sender: Sender<T> | undefined): Promise<void>;
  trySend(value: T): boolean;
  recv(options: WaitOptions | undefined, below: Function): Promise<T | Closed>;
  tryRecv(): T | undefined;
  addSender(sender: Sender<T>): void;
  dropSender(sender: Sender<T>): void;
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
    internals.addSender(this);
  }

  send(value: T, options?: WaitOptions): Promise<void> {
    if (this.#dropped) return Promise.reject(new ChannelClosedError("sender dropped"));
    return this.#internals.send(value, options, this.send, this);
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
    this.#internals.dropSender(this);
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
