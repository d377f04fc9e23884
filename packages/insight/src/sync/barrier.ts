/**
 * A barrier shaped like tokio::sync::Barrier: `wait()` blocks until `size`
 * callers have arrived, then all are released and exactly one is the leader.
 *
 * With insight on: `size`, `arrived`, and as owners `party:<task>` for tasks
 * that arrived last round but not yet this one: the likely missing parties
 * (possible freers: any other code holding the barrier could arrive too).
 */
import { instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { LiveResource, LiveTask } from "../private/records.js";
import { block, finish, WaitQueue, Waiter } from "../private/wait-queue.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkCount, checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

export interface BarrierWaitResult {
  readonly isLeader: boolean;
}

export class Barrier {
  readonly size: number;
  #arrived = 0;
  readonly #waiters = new WaitQueue<BarrierWaitResult>();
  readonly #resource: LiveResource | undefined;
  #lastRound = new Set<LiveTask | undefined>();
  #thisRound = new Set<LiveTask | undefined>();

  constructor(size: number, options?: PrimitiveOptions) {
    checkCount(size, "Barrier size");
    const { name } = checkPrimitiveOptions(options);
    this.size = size;
    this.#resource = instrument(this, "Barrier", name, Barrier);
  }

  wait(options?: WaitOptions): Promise<BarrierWaitResult> {
    options = checkWaitOptions(options);
    if (this.#resource) this.#thisRound.add(taskIf(this.#resource));
    this.#arrived++;
    touch(this.#resource);
    if (this.#arrived >= this.size) {
      this.#arrived = 0;
      this.#lastRound = this.#thisRound;
      this.#thisRound = new Set();
      for (let w = this.#waiters.shift(); w; w = this.#waiters.shift()) {
        finish(w);
        w.resolve({ isLeader: false });
      }
      touch(this.#resource);
      return Promise.resolve({ isLeader: true });
    }
    return block(this.#waiters, new Waiter<BarrierWaitResult>(), {
      resource: this.#resource,
      source: "Barrier::wait",
      reason: () => `waiting for ${this.size - this.#arrived} more of ${this.size} parties`,
      below: this.wait,
      signal: options?.signal,
      // A cancelled arrival no longer counts.
      onCancel: () => {
        this.#arrived--;
        touch(this.#resource);
      },
    });
  }

  /** @internal */
  describe() {
    const missing: [string, LiveTask | undefined][] = [];
    for (const task of this.#lastRound) if (!this.#thisRound.has(task)) missing.push(["party", task]);
    return { size: this.size, arrived: this.#arrived, "insight.owners": owners(missing) };
  }
}
