/**
 * Which task is running: an AsyncLocalStorage whose store is a small per-task
 * context object. Context follows every async continuation Node knows about
 * (promise reactions, timers, I/O callbacks), which is exactly the "code of a
 * task" in docs/model.md.
 *
 * The context is also the GC proof's witness (docs/model.md, "Proof by
 * garbage collection"): its only strong references are the async contexts that
 * can still run code of the task. The LiveTask is reached from it, never the
 * other way strongly: the record keeps a WeakRef, so once nothing that could
 * resume the task exists, a full GC empties that WeakRef.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { LiveTask } from "./records.js";

export class TaskContext {
  readonly record: LiveTask;
  constructor(record: LiveTask) {
    this.record = record;
  }
}

/**
 * The store of code that entered no task at all (an explicit exit() is
 * undefined, not this). Its record is unset unless mainByDefault() made it
 * the main task's.
 */
class NoTaskEntered {
  record: LiveTask | undefined = undefined;
  /** The main task's own context, held so its GC witness lives as long as code can run in it by default. */
  witness: TaskContext | undefined = undefined;
}
const noTaskEntered = new NoTaskEntered();

// `defaultValue` is read by Node 24's AsyncLocalStorage and ignored by older ones.
const Storage = AsyncLocalStorage as new <T>(options?: { defaultValue?: T }) => AsyncLocalStorage<T>;
export const taskStorage = new Storage<TaskContext | NoTaskEntered>({ defaultValue: noTaskEntered });

/**
 * `node --import async-insight/register` under AsyncContextFrame (Node 24's
 * default AsyncLocalStorage): Node's ESM loader runs the main module in the
 * context it captured before register ran, so the enterWith() of init()
 * cannot reach it. Code that entered no task then runs in the main task
 * `context`, as it does on Node 20 and 22. Only there: under async_hooks
 * storage an exit() also reads as the default, and insight's own timers
 * would count as the main task's.
 */
export function mainByDefault(context: TaskContext): void {
  if (typeof (AsyncLocalStorage.prototype as { _enable?: unknown })._enable === "function") return;
  noTaskEntered.record = context.record;
  noTaskEntered.witness = context;
}

/**
 * A new context for `record`. The record holds it strongly only until the
 * next publish, then through a WeakRef (young-records.ts): a WeakRef
 * per short request task would cost more than everything else insight does.
 */
export function newTaskContext(record: LiveTask): TaskContext {
  const context = new TaskContext(record);
  record.pendingContext = context;
  return context;
}

export function currentLiveTask(): LiveTask | undefined {
  return taskStorage.getStore()?.record;
}

/**
 * Runs `fn` in no task, as `taskStorage.exit(fn)` does, for what must not
 * keep a task's context alive (a settle callback on a promise the task
 * awaits). On Node 20 and 22 (AsyncLocalStorage on async_hooks) exit()
 * disables the storage for the call, and when insight's is the only one that
 * turns Node's async hooks off and on again: half a microsecond or more per
 * call, on the request path while a console watches. Running with no store
 * gives the callbacks made inside the same empty context without that; on
 * Node 24 (AsyncContextFrame) exit() is this very call.
 */
export function outsideTasks<T>(fn: () => T): T {
  return taskStorage.run(undefined as unknown as NoTaskEntered, fn);
}
