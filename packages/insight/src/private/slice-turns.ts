/**
 * Hands out turns to snapshot slices: one slice at a time across every
 * console of the process, each in its own macrotask, and paced. With a turn
 * each, eight consoles attaching together would run eight slices back to back
 * in one event-loop turn (eight budgets of delay for the host); here the
 * host's I/O and timers run between any two slices. Pacing: after a slice took
 * `t` ms to build, the next one (of any console) starts no sooner than `t` ms
 * later, so attaching consoles use at most about half of the host's time. On
 * a busy machine that matters as much as the slice size: a process that never
 * sleeps waits behind every other one for the CPU, and each such wait is
 * event-loop delay for the app.
 */
import { now } from "./clock.js";

/** The longest pause between two slices, however long the last one took. */
const MAX_PAUSE_MS = 20;

export interface Turn {
  /** Ends the turn; the next slice is paced by how long it was held. Idempotent. */
  release(): void;
}

export class SliceTurns {
  readonly #waiting: ((turn: Turn) => void)[] = [];
  #held = false;
  #scheduled = false;

  /** Resolves with the turn in a later macrotask, once no other slice holds it. */
  acquire(): Promise<Turn> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#held) this.#schedule(0);
    });
  }

  /** Slices waiting for a turn (for tests). */
  get waiting(): number {
    return this.#waiting.length;
  }

  #schedule(pauseMs: number): void {
    if (this.#scheduled || this.#waiting.length === 0) return;
    this.#scheduled = true;
    const grant = () => {
      this.#scheduled = false;
      const next = this.#waiting.shift();
      if (!next) return;
      this.#held = true;
      const grantedAt = now();
      let released = false;
      next({
        release: () => {
          if (released) return;
          released = true;
          this.#held = false;
          this.#schedule(now() - grantedAt);
        },
      });
    };
    // Under a millisecond a timer would round up: the next turn is enough.
    if (pauseMs < 1) setImmediate(grant);
    else setTimeout(grant, Math.min(pauseMs, MAX_PAUSE_MS));
  }
}
