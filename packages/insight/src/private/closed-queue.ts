/** Closed entities (tasks, resources, waits) waiting for retention to expire, oldest first. */
export class ClosedQueue<T extends { droppedAt: number }> {
  #items: T[] = [];
  #head = 0;
  push(item: T): void {
    this.#items.push(item);
  }
  get size(): number {
    return this.#items.length - this.#head;
  }
  /** Removes items closed before `cutoff`, or the oldest while over `cap`. */
  expire(cutoff: number, cap: number, remove: (item: T) => void): void {
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      if (item.droppedAt >= cutoff && this.size <= cap) break;
      remove(item);
      this.#items[this.#head++] = undefined as unknown as T;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
