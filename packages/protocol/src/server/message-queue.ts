/**
 * A bounded queue a producer pushes into and one consumer drains as an async
 * iterable. When full (by count, or by bytes when the items have a size) it
 * rejects new items instead of growing, so a slow console can never make the
 * observed process buffer without limit; the caller decides what to count,
 * drop, or fail the stream with.
 */
export interface MessageQueueOptions<T> {
  /** Total size of queued items allowed, as measured by `sizeOf`. */
  readonly maxBytes?: number;
  readonly sizeOf?: (item: T) => number;
}

export class MessageQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #bytes = 0;
  #waiter: (() => void) | undefined;
  #closed = false;
  #error: Error | undefined;
  readonly #maxBytes: number;
  readonly #sizeOf: ((item: T) => number) | undefined;

  constructor(
    readonly capacity: number,
    options: MessageQueueOptions<T> = {},
  ) {
    this.#maxBytes = options.maxBytes ?? Infinity;
    this.#sizeOf = options.sizeOf;
  }

  /** False when the queue is full or closed. An item alone over the byte cap is taken into an empty queue. */
  push(item: T): boolean {
    if (this.#closed || this.#items.length >= this.capacity) return false;
    const bytes = this.#sizeOf?.(item) ?? 0;
    if (this.#items.length > 0 && this.#bytes + bytes > this.#maxBytes) return false;
    this.#items.push(item);
    this.#bytes += bytes;
    this.#wake();
    return true;
  }

  /** Ends iteration after the queued items. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  /** Drops what is queued and makes iteration throw `error`: the consumer learns why it was cut off. */
  fail(error: Error): void {
    if (this.#closed) return;
    this.#items = [];
    this.#bytes = 0;
    this.#error = error;
    this.close();
  }

  get size(): number {
    return this.#items.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#items.length > 0) {
        const item = this.#items.shift()!;
        if (this.#sizeOf) this.#bytes -= this.#sizeOf(item);
        yield item;
        continue;
      }
      if (this.#error) throw this.#error;
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
  }

  /** Ends iteration when `signal` aborts. */
  closeOn(signal: AbortSignal): this {
    if (signal.aborted) this.close();
    else signal.addEventListener("abort", () => this.close(), { once: true });
    return this;
  }
}
