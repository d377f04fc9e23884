/**
 * Poll observation: V8 promise hooks bracket every promise continuation (an
 * `await` resuming, a `.then` callback). `before` notes the time, and the
 * task when the continuation's context is already current (`startedIn`);
 * `after` reads the task otherwise and, if there is one, records the poll.
 * Cost: two hook calls, two clock reads and one executionAsyncResource() per
 * continuation (a getStore() too when its context is current in `before`),
 * whether or not a task runs it; no allocation and no per-promise state (see
 * docs/model.md).
 */
import { executionAsyncResource } from "node:async_hooks";
import { performance } from "node:perf_hooks";
import { promiseHooks } from "node:v8";
import type { LiveTask } from "./records.js";
import { runtime } from "./runtime.js";
import { taskStorage } from "./task-context.js";

let startedAt = -1;
/**
 * The task `before` already saw the continuation run in (null: no task), or
 * undefined when `after` must look. On Node 20 and 22 AsyncLocalStorage
 * switches the context in promise hooks of its own, which run before or
 * after these depending on which were installed (or re-installed: every
 * `exit()` that turns the storage off and on again puts its hooks last)
 * most recently. When its hooks come first, the continuation's context is
 * current in `before` and already gone again in `after`; the other way
 * round, the opposite. Another AsyncLocalStorage enabled before insight
 * (the app's, a tracer's) puts them first for good.
 */
let startedIn: LiveTask | null | undefined;

function before(promise: Promise<unknown>): void {
  startedAt = performance.now();
  startedIn = executionAsyncResource() === promise ? (taskStorage.getStore()?.record ?? null) : undefined;
}

function after(): void {
  const start = startedAt;
  startedAt = -1;
  if (start < 0) return;
  const task = startedIn === undefined ? taskStorage.getStore()?.record : startedIn;
  startedIn = undefined;
  if (task == null) return;
  try {
    runtime?.poll(task, start, performance.now());
  } catch {
    // A hook that throws would crash the process; insight never does.
  }
}

/** Starts observing polls; returns the function that stops. */
export function enablePollHooks(): () => void {
  const stopBefore = promiseHooks.onBefore(before);
  const stopAfter = promiseHooks.onAfter(after);
  return () => {
    stopBefore();
    stopAfter();
  };
}
