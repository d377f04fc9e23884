/**
 * Seeing a library's promise settle without changing what the app sees of it
 * (adapters/kit.ts, step 5: unhandled rejections).
 */
import { claimPromise } from "../private/await-tracker.js";
import { debug } from "../private/debug.js";

/**
 * Runs `fulfilled` / `rejected` when `promise` settles; a throw in them is swallowed. Attached in
 * the caller's context (leaving it costs more than the rest of an uncontended acquire): the
 * promise is one its task awaits, or its library runs, so the reaction keeps nothing alive that
 * the task's own await does not (the GC proof, docs/model.md). `TrackedResource.wait`, on the slow
 * path, attaches outside any task.
 */
export function observe<T>(promise: Promise<T>, fulfilled: (value: T) => void, rejected: (reason: unknown) => void = () => undefined): void {
  const onFulfilled = (value: T) => {
    try {
      fulfilled(value);
    } catch (error) {
      debug("an adapter's settle callback failed: %s", error);
    }
  };
  const onRejected = (reason: unknown) => {
    try {
      rejected(reason);
    } catch (error) {
      debug("an adapter's settle callback failed: %s", error);
    }
  };
  Promise.prototype.then.call(promise, onFulfilled, onRejected);
}

/**
 * A promise that settles as `promise` does, after `fulfilled` / `rejected` ran (their throws are
 * swallowed): what an adapter hands the app instead of the library's promise when it must see it
 * settle. The app's own handling (or its absence: an unhandled rejection) stays exactly as it was,
 * since the app's promise is this one and nothing else reacts to it. Claimed from the generic
 * await tracker. Attached in the caller's context, as `observe`.
 */
export function follow<T>(promise: Promise<T>, fulfilled: (value: T) => void, rejected: (reason: unknown) => void): Promise<T> {
  const onFulfilled = (value: T) => {
    try {
      fulfilled(value);
    } catch (error) {
      debug("an adapter's settle callback failed: %s", error);
    }
    return value;
  };
  const onRejected = (reason: unknown): never => {
    try {
      rejected(reason);
    } catch (error) {
      debug("an adapter's settle callback failed: %s", error);
    }
    throw reason;
  };
  const followed = Promise.prototype.then.call(promise, onFulfilled, onRejected) as Promise<T>;
  claimPromise(followed);
  return followed;
}
