/**
 * The queue of ended entities awaiting removal. Entities end in roughly
 * increasing order, so pruning pops from the front and costs only what it
 * removes; a late straggler is pruned when the ones before it are. Times are
 * the store clock's relative numbers (see clock.ts): a packed array of
 * doubles, not a bigint object for each of the tens of thousands of timers
 * a busy runtime drops every few seconds.
 */
export type EndedKind = "task" | "resource" | "asyncOp";

export class RetentionQueue {
  #at: number[] = [];
  #kind: EndedKind[] = [];
  #id: bigint[] = [];
  #head = 0;

  push(at: number, kind: EndedKind, id: bigint): void {
    this.#at.push(at);
    this.#kind.push(kind);
    this.#id.push(id);
  }

  /** Removes and reports every entry that ended at or before `cutoff`. */
  drain(cutoff: number, remove: (kind: EndedKind, id: bigint) => void): void {
    while (this.#head < this.#at.length && this.#at[this.#head]! <= cutoff) {
      remove(this.#kind[this.#head]!, this.#id[this.#head]!);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#at.length) {
      this.#at = this.#at.slice(this.#head);
      this.#kind = this.#kind.slice(this.#head);
      this.#id = this.#id.slice(this.#head);
      this.#head = 0;
    }
  }
}
