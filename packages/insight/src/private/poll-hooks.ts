/**
 * Poll observation: V8 promise hooks bracket every promise continuation (an
 * `await` resuming, a `.then` callback). `before` only notes the time, since
 * on Node 20 the async context may not be switched yet when it runs; `after`
 * reads the current task and, if there is one, records the poll. Cost: two
 * hook calls and two clock reads per continuation, whether or not a task runs
 * it; no allocation and no per-promise state (see docs/model.md).
 */
import { performance } from "node:perf_hooks";
import { promiseHooks } from "node:v8";
import { runtime } from "./runtime.js";
import { taskStorage } from "./task-context.js";

let startedAt = -1;

function before(): void {
  startedAt = performance.now();
}

function after(): void {
  const start = startedAt;
  startedAt = -1;
  if (start < 0) return;
  const task = taskStorage.getStore()?.record;
  if (task === undefined) return;
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
