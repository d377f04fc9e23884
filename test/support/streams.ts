/** Small helpers for reading gRPC server streams in tests. */

/**
 * Reads the first `n` items of a stream, then stops consuming it (which
 * cancels the call). Rejects if the stream ends early or `timeoutMs` passes,
 * so a peer that sends too little fails the test instead of hanging it.
 */
export async function take<T>(stream: AsyncIterable<T>, n: number, timeoutMs = 15_000): Promise<T[]> {
  const items: T[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`got ${items.length} of ${n} messages within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    while (items.length < n) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`stream ended after ${items.length} of ${n} messages`);
      items.push(next.value);
    }
    return items;
  } finally {
    clearTimeout(timer);
    iterator.return?.().catch(() => {});
  }
}

/** Pulls one item at a time from a stream that stays open between reads. */
export class StreamReader<T> {
  readonly #iterator: AsyncIterator<T>;

  constructor(stream: AsyncIterable<T>) {
    this.#iterator = stream[Symbol.asyncIterator]();
  }

  async next(timeoutMs = 15_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const next = await Promise.race([this.#iterator.next(), timeout]);
      if (next.done) throw new Error("stream ended");
      return next.value;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.#iterator.return?.().catch(() => {});
  }
}
