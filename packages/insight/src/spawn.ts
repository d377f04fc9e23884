/**
 * `spawn(name, fn)`: run `fn` as a named task and get an awaitable handle,
 * like `tokio::task::Builder::new().name(name).spawn(fut)`. `fn` starts
 * synchronously (its first poll happens inside `spawn`). Without `init()` this
 * is a plain call of `fn` wrapped in a handle.
 */
import { now } from "./private/clock.js";
import { JoinWait } from "./private/join-wait.js";
import type { TaskFieldValue, LiveTask } from "./private/records.js";
import { runtime } from "./private/runtime.js";
import { currentLiveTask, newTaskContext, taskStorage, type TaskContext } from "./private/task-context.js";

const NO_FIELDS: Readonly<Record<string, TaskFieldValue>> = Object.freeze({});

export interface SpawnOptions {
  /** Extra fields shown with the task (`task.name`, `task.id` and `kind` are set by insight). */
  readonly fields?: Readonly<Record<string, TaskFieldValue>>;
}

export interface TaskInfo {
  /** Stable task id (`task.id`), 0 when insight is not running. */
  readonly id: number;
  readonly name: string;
  readonly kind: string;
}

/** An awaitable handle to a spawned task: `await handle` gives its result. */
export class TaskHandle<T> implements PromiseLike<T> {
  /** Stable task id (`task.id`), 0 when insight was not running at spawn. */
  readonly id: number;
  readonly name: string;
  readonly result: Promise<T>;
  readonly #join: JoinWait | undefined;

  /** @param join internal: records awaiting this handle as a wait. */
  constructor(id: number, name: string, result: Promise<T>, join?: JoinWait) {
    this.id = id;
    this.name = name;
    this.result = result;
    this.#join = join;
  }

  // biome-ignore lint/suspicious/noThenProperty: a TaskHandle is awaited like a promise, as tokio awaits a JoinHandle
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#join?.awaited();
    return this.result.then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.result.catch(onRejected);
  }
}

function invoke<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What a spawned task's completion needs, passed through `taskStorage.run` without a closure. */
interface Running<T> {
  readonly fn: () => T | PromiseLike<T>;
  readonly task: LiveTask;
  readonly join: JoinWait;
  readonly rt: NonNullable<typeof runtime>;
}

/**
 * Runs `fn` in its task's context and registers the task's completion on the
 * promise it returned, from inside that context. That one reaction does two
 * jobs: it ends the task, and it keeps the task's context reachable for as
 * long as the promise can still settle (the task may be waiting on a promise
 * made outside it, `spawn("x", () => shared)`, whose resolver lives
 * elsewhere; without a reaction in the task's context the GC proof would call
 * such a task stuck). One reaction per spawn rather than a completion
 * reaction plus a keep-alive one.
 */
function invokeTracked<T>(running: Running<T>): Promise<T> {
  const { task, join, rt } = running;
  const done = () => {
    try {
      join.finished();
      rt.completeTask(task);
    } catch {
      // Never let bookkeeping change the task's outcome.
    }
  };
  return invoke(running.fn).then(
    (value) => {
      done();
      return value;
    },
    (error: unknown) => {
      done();
      throw error;
    },
  );
}

export function spawn<T>(name: string, fn: () => T | PromiseLike<T>, options: SpawnOptions = {}): TaskHandle<T> {
  const rt = runtime;
  if (rt === undefined) return new TaskHandle(0, name, invoke(fn));
  let task: LiveTask;
  let context: TaskContext;
  const start = now();
  try {
    const taskName = String(name);
    task = rt.createTask(taskName, "task", options.fields ?? NO_FIELDS, rt.spawnSite(taskName, spawn), currentLiveTask(), start);
    context = newTaskContext(task);
  } catch {
    return new TaskHandle(0, name, invoke(fn));
  }
  // Only the task's own continuations keep `context` alive from here on (see
  // task-context.ts): nothing below may store it.
  const join = new JoinWait(task);
  const result = taskStorage.run(context, invokeTracked<T>, { fn, task, join, rt });
  try {
    rt.poll(task, start, now());
  } catch {
    // Never let bookkeeping change the task's outcome.
  }
  return new TaskHandle(task.taskId, task.name, result, join);
}

/** The task running the current code, if insight is on and the code runs in one. */
export function currentTask(): TaskInfo | undefined {
  const task = currentLiveTask();
  return task ? { id: task.taskId, name: task.name, kind: task.kind } : undefined;
}
