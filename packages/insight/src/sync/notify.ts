/**
 * A notification primitive shaped like tokio::sync::Notify: `notified()`
 * waits; `notifyOne()` wakes one waiter, or stores a single permit for the
 * next `notified()` if nobody waits; `notifyWaiters()` wakes everyone waiting.
 *
 * With insight on: `waiters`, `permit`, and as owners `notifier:<task>` for
 * the tasks that have notified it, the likely ones to do so again.
 */
import { instrument, owners, taskIf, touch } from "../private/instrument.js";
import type { ResourceRecord, TaskRecord } from "../private/records.js";
import { block, finish, WaitQueue, Waiter } from "../private/wait-queue.js";
import type { PrimitiveOptions, WaitOptions } from "./options.js";

/** Notifiers remembered for `insight.owners`. */
const MAX_NOTIFIERS = 8;

export class Notify {
  #permit = false;
  readonly #waiters = new WaitQueue<void>();
  readonly #resource: ResourceRecord | undefined;
  readonly #notifiers = new Set<TaskRecord>();

  constructor(options: PrimitiveOptions = {}) {
    this.#resource = instrument(this, "Notify", options.name, Notify);
  }

  notified(options?: WaitOptions): Promise<void> {
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
    const task = taskIf(this.#resource);
    if (!task || this.#notifiers.has(task)) return;
    if (this.#notifiers.size >= MAX_NOTIFIERS) {
      const oldest = this.#notifiers.values().next().value;
      if (oldest) this.#notifiers.delete(oldest);
    }
    this.#notifiers.add(task);
  }
}
