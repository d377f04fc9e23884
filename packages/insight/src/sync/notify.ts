/**
 * A notification primitive shaped like tokio::sync::Notify: `notified()`
 * waits; `notifyOne()` wakes one waiter, or stores a single permit for the
 * next `notified()` if nobody waits; `notifyWaiters()` wakes everyone waiting.
 *
 * With insight on: `waiters`, `permit`, and as owners `notifier:<task>` for
 * the tasks that have notified it (the latest few), the likely ones to do so
 * again: possible freers, never certain ones.
 */
import { instrument, owners, taskIf, touch } from "../private/instrument.js";
import { RecentTasks } from "../private/recent-tasks.js";
import type { LiveResource } from "../private/records.js";
import { block, finish, WaitQueue, Waiter } from "../private/wait-queue.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";
import { checkPrimitiveOptions, checkWaitOptions } from "./validate.js";

export class Notify {
  #permit = false;
  readonly #waiters = new WaitQueue<void>();
  readonly #resource: LiveResource | undefined;
  readonly #notifiers = new RecentTasks();

  constructor(options?: PrimitiveOptions) {
    const { name } = checkPrimitiveOptions(options);
    this.#resource = instrument(this, "Notify", name, Notify);
  }

  notified(options?: WaitOptions): Promise<void> {
    options = checkWaitOptions(options);
    if (this.#permit) {
      this.#permit = false;
      touch(this.#resource);
      return Promise.resolve();
    }
    return block(this.#waiters, new Waiter<void>(), {
      resource: this.#resource,
      source: "Notify::notified",
      reason: () => "waiting for a notification",
      below: this.notified,
      signal: options?.signal,
      onCancel: () => touch(this.#resource),
    });
  }

  notifyOne(): void {
    this.#noteNotifier();
    const waiter = this.#waiters.shift();
    if (waiter) {
      finish(waiter);
      waiter.resolve();
    } else {
      this.#permit = true;
    }
    touch(this.#resource);
  }

  notifyWaiters(): void {
    this.#noteNotifier();
    for (let w = this.#waiters.shift(); w; w = this.#waiters.shift()) {
      finish(w);
      w.resolve();
    }
    touch(this.#resource);
  }

  /** @internal */
  describe() {
    return {
      waiters: this.#waiters.size,
      permit: this.#permit,
      "insight.owners": owners([...this.#notifiers].map((t) => ["notifier", t] as const)),
    };
  }

  #noteNotifier(): void {
    if (this.#resource !== undefined) this.#notifiers.note(taskIf(this.#resource));
  }
}
