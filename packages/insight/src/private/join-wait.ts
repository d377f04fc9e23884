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
 * on the stack; while the await tracker is armed, it noted the await itself
 * just before, and hands its stack over (joinAwaited): the op's site is the
 * await in user code, read at publish like any await's. Without it the op
 * has no site; the resource carries the spawn site either way.
 *
 * A noted join counts as a pending wait of its waiter (`pendingAwaits`)
 * until it is recorded, ends or is given up, so that a request whose client
 * leaves while its handler awaits a young join stays visible (orphans.ts).
 */
import { now } from "./clock.js";
import { debug } from "./debug.js";
import type { AttributeValues, Describable, OpRecord, LiveResource, LiveTask } from "./records.js";
import { runtime, type Runtime } from "./runtime.js";
import { joinAwaited, joinSite, type AwaitStacks } from "./await-tracker.js";
import { clientGoneReason, orphanProgress } from "./orphans.js";
import { currentLiveTask } from "./task-context.js";

interface Waiter {
  readonly task: LiveTask;
  readonly at: number;
  /** The waiter's polls when it awaited. */
  readonly polls: number;
  /** The await's stacks, from the await tracker (read at publish). */
  readonly stacks: AwaitStacks | undefined;
}

/**
 * The waiter gave up on the join (a `Promise.race` with a timeout around it):
 * it ended, or it is now in a wait it began in a later poll. An abandoned join
 * must not keep the waiter shown as waiting for the task (issue 14 item 3).
 * With polls off, only the waiter's end is seen.
 */
function abandoned(task: LiveTask, polls: number): boolean {
  if (task.droppedAt >= 0) return true;
  const current = task.waitingOn;
  return current !== undefined && current.droppedAt < 0 && current.resource.concreteType !== "JoinHandle" && current.pollsAtStart > polls;
}

export class JoinWait implements Describable {
  readonly #task: LiveTask;
  #resource: LiveResource | undefined;
  #ops: OpRecord[] = [];
  /** Awaits noted but not recorded yet. */
  #waiters: Waiter[] = [];
  #finished = false;

  constructor(task: LiveTask) {
    this.#task = task;
  }

  describe(): AttributeValues {
    return { finished: this.#finished, "insight.owners": this.#finished ? "" : `task:${this.#task.taskId}` };
  }

  /** Someone awaits the handle (`then` was called). */
  awaited(): void {
    const rt = runtime;
    const waiter = currentLiveTask();
    if (rt === undefined || this.#finished || waiter === undefined || waiter === this.#task) return;
    try {
      const stacks = joinAwaited(waiter);
      if (this.#waiters.length === 0 && !rt.options.deep) rt.defer(this);
      this.#waiters.push({ task: waiter, at: now(), polls: waiter.polls, stacks });
      waiter.pendingAwaits++;
      if (rt.options.deep) this.settle();
    } catch (error) {
      debug("recording a join failed: %s", error);
    }
  }

  /**
   * Records the joins still pending, and ends recorded ones their waiters
   * abandoned (called at publish, or at once in deep mode; again at every
   * publish while some are recorded).
   */
  settle(): void {
    const rt = runtime;
    const waiters: Waiter[] = [];
    for (const w of this.#waiters) {
      if (!abandoned(w.task, w.polls)) waiters.push(w);
      else if (rt !== undefined) unnoted(rt, w.task);
    }
    this.#waiters = [];
    if (rt === undefined || this.#finished) return;
    try {
      this.#ops = this.#ops.filter((op) => {
        if (op.droppedAt >= 0) return false;
        if (op.task === undefined || !abandoned(op.task, op.pollsAtStart)) return true;
        rt.completeOp(op, undefined);
        return false;
      });
      if (waiters.length > 0) {
        this.#resource ??= rt.createResource("JoinHandle", false, this.#task.name, this, JoinWait.prototype.settle, this.#task.site, waiters[0]!.at);
        const reason = `waiting for task ${this.#task.taskId} ${this.#task.name} to finish`;
        for (const { task, at, polls, stacks } of waiters) {
          const site = stacks === undefined ? undefined : joinSite(stacks);
          const op = rt.createOp(this.#resource, "JoinHandle::join", task.clientGone ? clientGoneReason(site, reason) : reason, undefined, task, at, site);
          op.pollsAtStart = polls;
          if (task.clientGone) op.extra = { "insight.client_gone": true };
          // The op counts the wait from here on (task.pendingOps).
          task.pendingAwaits--;
          this.#ops.push(op);
        }
      }
      if (this.#resource !== undefined) rt.markResource(this.#resource);
      if (this.#ops.length > 0) rt.defer(this);
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
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const { task } of waiters) {
        wakeUnrecorded(rt, task, this.#task);
        unnoted(rt, task);
      }
      for (const op of this.#ops) rt.completeOp(op, this.#task);
      this.#ops = [];
      if (this.#resource !== undefined) rt.dropResource(this.#resource);
    } catch (error) {
      debug("recording a join's end failed: %s", error);
    }
  }
}

/** A noted join of `task` is over before it was recorded. */
function unnoted(rt: Runtime, task: LiveTask): void {
  task.pendingAwaits--;
  if (task.clientGone) orphanProgress(rt, task);
}

/** A join that ended unrecorded still woke its waiter: one waker cloned and used. */
function wakeUnrecorded(rt: Runtime, task: LiveTask, waker: LiveTask): void {
  task.wakerClones++;
  rt.wake(task, waker);
}
