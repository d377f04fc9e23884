/**
 * Awaiting a spawned task's handle is a wait like any other: the awaiting
 * task is blocked until the spawned one finishes. Recording it gives the
 * console the edge "request task → process-jobs", which is how a hanging
 * endpoint leads to the task that hangs it. The handle becomes a `JoinHandle`
 * resource, created on the first await (most handles are never awaited while
 * pending, and those cost nothing), whose only owner is the spawned task in
 * the role `task`.
 *
 * V8 calls `then` of an awaited thenable from a microtask with no user frame
 * on the stack, so these waits carry no await site; the resource carries the
 * spawn site instead.
 */
import { debug } from "./debug.js";
import type { AttributeValues, Describable, OpRecord, ResourceRecord, TaskRecord } from "./records.js";
import { runtime } from "./runtime.js";
import { currentTaskRecord } from "./task-context.js";

export class JoinWait implements Describable {
  readonly #task: TaskRecord;
  #resource: ResourceRecord | undefined;
  #ops: OpRecord[] = [];
  #finished = false;

  constructor(task: TaskRecord) {
    this.#task = task;
  }

  describe(): AttributeValues {
    return { finished: this.#finished, "insight.owners": this.#finished ? "" : `task:${this.#task.taskId}` };
  }

  /** Someone awaits the handle (`then` was called). */
  awaited(below: Function): void {
    const rt = runtime;
    const waiter = currentTaskRecord();
    if (rt === undefined || this.#finished || waiter === undefined || waiter === this.#task) return;
    try {
      this.#resource ??= rt.createResource("JoinHandle", false, this.#task.name, this, below, this.#task.site);
      this.#ops.push(rt.createOp(this.#resource, "JoinHandle::join", `waiting for task ${this.#task.taskId} ${this.#task.name} to finish`, undefined));
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
    if (rt === undefined || this.#resource === undefined) return;
    try {
      for (const op of this.#ops) rt.completeOp(op, this.#task);
      this.#ops = [];
      rt.dropResource(this.#resource);
    } catch (error) {
      debug("recording a join's end failed: %s", error);
    }
  }
}
