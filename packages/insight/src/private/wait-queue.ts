/**
 * FIFO queues of blocked callers for the sync primitives. A waiter can leave
 * from the middle in O(1) (its AbortSignal fired), so a cancelled wait never
 * lingers as a phantom entry that counts towards state or gets handed an item.
 *
 * When insight is on and the primitive is instrumented, each waiter carries
 * the async op describing its wait: created when the wait blocks (that is the
 * only moment a stack is captured), completed by whoever ends it.
 */
import { debug } from "./debug.js";
import type { AttributeValues, OpRecord, LiveResource, LiveTask } from "./records.js";
import { runtime } from "./runtime.js";
import { currentLiveTask } from "./task-context.js";

export class Waiter<T> {
  prev: Waiter<T> | undefined = undefined;
  next: Waiter<T> | undefined = undefined;
  queued = false;
  op: OpRecord | undefined = undefined;
  /** The waiting task, for primitives that hand ownership over (locks, permits). */
  task: LiveTask | undefined = undefined;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  detach: (() => void) | undefined = undefined;
}

export class WaitQueue<T> {
  #head: Waiter<T> | undefined;
  #tail: Waiter<T> | undefined;
  size = 0;

  push(waiter: Waiter<T>): void {
    waiter.queued = true;
    waiter.prev = this.#tail;
    waiter.next = undefined;
    if (this.#tail) this.#tail.next = waiter;
    else this.#head = waiter;
    this.#tail = waiter;
    this.size++;
  }

  peek(): Waiter<T> | undefined {
    return this.#head;
  }

  shift(): Waiter<T> | undefined {
    const waiter = this.#head;
    if (waiter) this.remove(waiter);
    return waiter;
  }

  remove(waiter: Waiter<T>): boolean {
    if (!waiter.queued) return false;
    waiter.queued = false;
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.size--;
    return true;
  }

  *[Symbol.iterator](): Iterator<Waiter<T>> {
    for (let w = this.#head; w; w = w.next) yield w;
  }
}

export interface BlockSpec {
  /** The primitive's resource, when instrumented. */
  readonly resource: LiveResource | undefined;
  /** `Type::method`. */
  readonly source: string;
  /** Computed only when instrumented. */
  readonly reason: () => string;
  /** Extra attributes of the op (e.g. `insight.requested`). */
  readonly extra?: AttributeValues;
  /** The public method that blocked: its caller is the await site. */
  readonly below: Function;
  readonly signal?: AbortSignal | undefined;
  /** Called when the wait is cancelled, after the waiter left the queue. */
  readonly onCancel?: () => void;
}

/** Queues a waiter and returns the promise its caller awaits. */
export function block<T>(queue: WaitQueue<T>, waiter: Waiter<T>, spec: BlockSpec): Promise<T> {
  const { signal } = spec;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const promise = new Promise<T>((resolve, reject) => {
    waiter.resolve = resolve;
    waiter.reject = reject;
  });
  queue.push(waiter);
  const rt = runtime;
  if (rt !== undefined && spec.resource !== undefined) {
    try {
      waiter.task = currentLiveTask();
      const op = rt.createOp(spec.resource, spec.source, spec.reason(), spec.below);
      if (spec.extra !== undefined) op.extra = spec.extra;
      waiter.op = op;
      rt.markResource(spec.resource);
    } catch (error) {
      // Bookkeeping must never break the wait itself.
      debug("recording a wait failed: %s", error);
    }
  }
  if (signal) {
    const onAbort = () => {
      if (!queue.remove(waiter)) return;
      finish(waiter);
      spec.onCancel?.();
      waiter.reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    waiter.detach = () => signal.removeEventListener("abort", onAbort);
  }
  return promise;
}

/** Ends a waiter's bookkeeping (op, abort listener); the caller resolves or rejects it. */
export function finish<T>(waiter: Waiter<T>): void {
  waiter.detach?.();
  waiter.detach = undefined;
  const op = waiter.op;
  if (op !== undefined) {
    waiter.op = undefined;
    try {
      runtime?.completeOp(op, currentLiveTask());
      if (op.resource.tracked) runtime?.markResource(op.resource);
    } catch (error) {
      debug("recording a wake failed: %s", error);
    }
  }
}

/** Removes the first waiter and resolves it with `value`. */
export function wakeFirst<T>(queue: WaitQueue<T>, value: T): Waiter<T> | undefined {
  const waiter = queue.shift();
  if (waiter) {
    finish(waiter);
    waiter.resolve(value);
  }
  return waiter;
}

/** Rejects every waiter (a closed channel, a dropped sender). */
export function rejectAll<T>(queue: WaitQueue<T>, reason: () => unknown): void {
  for (let waiter = queue.shift(); waiter; waiter = queue.shift()) {
    finish(waiter);
    waiter.reject(reason());
  }
}

/** Updates the reason of every instrumented waiter (a lock changed hands). */
export function updateReasons<T>(queue: WaitQueue<T>, reason: string): void {
  const rt = runtime;
  if (!rt) return;
  for (const waiter of queue) {
    if (waiter.op && waiter.op.reason !== reason) {
      waiter.op.reason = reason;
      rt.markOp(waiter.op);
    }
  }
}
