/**
 * Awaiting a spawned task's handle is a wait like any other: the awaiting
 * task is blocked until the spawned one finishes. Recording it gives the
 * console the edge "request task → process-jobs", which is how a hanging
 * endpoint leads to the task that hangs it. The handle becomes a `JoinHandle`
 * resource whose only owner is the spawned task in the role `task`.
 *
 * Most joins are over within microseconds (a handler awaiting the task it
 * just spawned), and recording a resource and an op for each cost a busy
 * service more than everything else insight does per request. So an await
 * only notes who waits since when, and the records are made at the next
 * publish (Runtime.settleDeferred), with those times, for joins still
 * pending; a join that ends before then counts as a wake of its waiter by
 * the spawned task and leaves no records. Deep mode records every join at
 * once.
 *
 * V8 calls `then` of an awaited thenable from a microtask with no user frame
 * on the stack, so these waits carry no await site; the resource carries the
 * spawn site instead.
 */
import { now } from "./clock.js";
import { debug } from "./debug.js";
import type { AttributeValues, Describable, OpRecord, ResourceRecord, TaskRecord } from "./records.js";
import { runtime, type Runtime } from "./runtime.js";
import { currentTaskRecord } from "./task-context.js";

interface Waiter {
  readonly task: TaskRecord;
  readonly at: number;
}

export class JoinWait implements Describable {
  readonly #task: TaskRecord;
  #resource: ResourceRecord | undefined;
  #ops: OpRecord[] = [];
  /** Awaits noted but not recorded yet. */
  #waiters: Waiter[] = [];
  #finished = false;

  constructor(task: TaskRecord) {
    this.#task = task;
  }

  describe(): AttributeValues {
    return { finished: this.#finished, "insight.owners": this.#finished ? "" : `task:${this.#task.taskId}` };
  }

  /** Someone awaits the handle (`then` was called). */
  awaited(): void {
    const rt = runtime;
    const waiter = currentTaskRecord();
    if (rt === undefined || this.#finished || waiter === undefined || waiter === this.#task) return;
    try {
      if (this.#waiters.length === 0 && !rt.options.deep) rt.defer(this);
      this.#waiters.push({ task: waiter, at: now() });
      if (rt.options.deep) this.settle();
    } catch (error) {
      debug("recording a join failed: %s", error);
    }
  }

  /** Records the joins still pending (called at publish, or at once in deep mode). */
  settle(): void {
    const rt = runtime;
    const waiters = this.#waiters;
    this.#waiters = [];
    if (rt === undefined || this.#finished || waiters.length === 0) return;
    try {
      this.#resource ??= rt.createResource("JoinHandle", false, this.#task.name, this, JoinWait.prototype.settle, this.#task.site, waiters[0]!.at);
      const reason = `waiting for task ${this.#task.taskId} ${this.#task.name} to finish`;
      for (const { task, at } of waiters) this.#ops.push(rt.createOp(this.#resource, "JoinHandle::join", reason, undefined, task, at));
      rt.markResource(this.#resource);
    } catch (error) {
      debug("recording a join failed: %s", error);
    }
  }

  /** The task settled: every awaiter was woken by it. */
  finished(): void {
    if (this.#finished) return;
    this.#finished = true;
    const rt = runtime;
    if (rt === undefined) return;
    try {
      for (const { task } of this.#waiters) wakeUnrecorded(rt, task, this.#task);
      this.#waiters = [];
      for (const op of this.#ops) rt.completeOp(op, this.#task);
      this.#ops = [];
      if (this.#resource !== undefined) rt.dropResource(this.#resource);
    } catch (error) {
      debug("recording a join's end failed: %s", error);
    }
  }
}

/** A join that ended unrecorded still woke its waiter: one waker cloned and used. */
function wakeUnrecorded(rt: Runtime, task: TaskRecord, waker: TaskRecord): void {
  task.wakerClones++;
  rt.wake(task, waker);
}
