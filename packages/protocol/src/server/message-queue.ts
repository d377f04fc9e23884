/**
 * A bounded queue a producer pushes into and one consumer drains as an async
 * iterable. When full it rejects new items instead of growing, so a slow
 * console can never make the observed process buffer without limit; the
 * caller decides what to count or drop.
 */
export class MessageQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #waiter: ((done: boolean) => void) | undefined;
  #closed = false;

  constructor(readonly capacity: number) {}

  /** False when the queue is full or closed. */
  push(item: T): boolean {
    if (this.#closed || this.#items.length >= this.capacity) return false;
    this.#items.push(item);
    this.#wake(false);
    return true;
  }

  close(): void {
    this.#closed = true;
    this.#wake(true);
  }

  get size(): number {
    return this.#items.length;
  }

  #wake(done: boolean): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(done);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#closed) return;
      await new Promise<boolean>((resolve) => (this.#waiter = resolve));
    }
  }

  /** Ends iteration when `signal` aborts. */
  closeOn(signal: AbortSignal): this {
    if (signal.aborted) this.close();
    else signal.addEventListener("abort", () => this.close(), { once: true });
    return this;
  }
}
