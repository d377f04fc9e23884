/**
 * p-queue 9.x and 10.x (ESM only): each PQueue is a `PQueue` resource; a
 * running job is a slot (unit) held by the task that added it, from the
 * moment the job starts until the job's own promise settles (a job p-queue
 * timed out keeps its slot here while its function still runs); an add()
 * whose job cannot start at once is a `PQueue::add` wait until the job starts
 * (or leaves the queue: abort, clear()). A slot is named as its task's only
 * while that can close a cycle (an add() from inside one of the queue's own
 * running jobs), as for p-limit (p-limit.ts, docs/adapters.md).
 * Patched: PQueue.prototype.add (addAll goes through it) and clear(). The
 * class is an ESM export and cannot be replaced, so a queue is tracked, and
 * located, at its first add().
 */
import { claim, currentLiveTask, observe, runningText, track, trackedOf, type LibraryState, type ResourceSpec, type TrackedWait } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";
import { currentSlots, nestedIn, runInSlot } from "./slot-context.js";

interface Queue {
  readonly concurrency: number;
  readonly pending: number;
  readonly size: number;
  readonly isPaused: boolean;
  readonly timeout?: number | undefined;
}

type Add = (this: Queue, job: unknown, ...rest: unknown[]) => unknown;

function spec(context: AdapterContext): ResourceSpec<Queue> {
  return {
    concreteType: "PQueue",
    library: context.libraryText,
    selfFreeing: "job",
    read: (queue): LibraryState => ({
      capacity: queue.concurrency,
      inUse: queue.pending,
      pending: queue.size,
      timeoutMs: queue.timeout,
      extra: { "insight.paused": queue.isPaused || undefined },
    }),
    reason: (resource) => {
      const queue = resource.target!;
      const state = resource.spec.read(queue);
      return `waiting for a queue slot: ${queue.isPaused ? "queue paused, " : ""}${runningText(resource, state)}`;
    },
  };
}

function patch(exports: unknown, context: AdapterContext): void {
  const PQueue = (exports as { default?: Function }).default;
  if (typeof PQueue !== "function" || typeof (PQueue.prototype as { add?: unknown }).add !== "function")
    throw new Error("p-queue's default export is not the PQueue class");
  const queueSpec = spec(context);

  wrapMethod<Add>(
    PQueue.prototype,
    "add",
    (original) =>
      function add(this: Queue, job: unknown, ...rest: unknown[]) {
        if (!context.on() || typeof job !== "function") return original.call(this, job, ...rest);
        const resource = context.safely(() => track(this, queueSpec, add), undefined);
        if (resource === undefined) return original.call(this, job, ...rest);
        const task = currentLiveTask();
        const queue = this;
        const slot = {};
        // The jobs this add() is made from (read now: a queued job starts from another one's completion).
        const chain = currentSlots();
        let started = false;
        let wait: TrackedWait | undefined;
        const free = () => context.safely(() => trackedOf(this)?.release(slot));
        // Nothing is attached to add()'s promise (p-queue 10's clear() marks it handled itself, and an
        // app that drops it must still see its rejection): the job's start and end are seen from inside.
        const run = function (this: unknown, ...args: unknown[]) {
          started = true;
          context.safely(() => {
            wait?.end();
            resource.hold(slot, task);
          });
          let result: unknown;
          try {
            result = runInSlot({ owner: queue, slot, parent: chain }, job as (...a: unknown[]) => unknown, this, args);
          } catch (error) {
            free();
            throw error;
          }
          // p-queue awaits the job's promise itself: observing it changes nothing.
          if (result instanceof Promise) observe(result, free, free);
          else free();
          return result;
        };
        const promise = original.call(this, run, ...rest);
        context.safely(() => {
          if (promise instanceof Promise) claim(promise);
          if (started) return;
          wait = resource.wait(undefined, { source: "PQueue::add", below: add, task, within: nestedIn(chain, queue) });
          // Leaves the queue without running: its signal aborted.
          const signal = (rest[0] as { signal?: AbortSignal } | undefined)?.signal;
          if (signal instanceof AbortSignal) signal.addEventListener("abort", () => wait?.end(), { once: true });
        });
        return promise;
      },
  );

  // Queued jobs are dropped (9.x: their promises never settle; 10.x: rejected): their waits are over.
  wrapMethod<(this: Queue) => unknown>(
    PQueue.prototype,
    "clear",
    (original) =>
      function clear(this: Queue) {
        const result = original.call(this);
        if (context.on()) context.safely(() => trackedOf(this)?.endAllWaits());
        return result;
      },
  );
}

export const pQueueAdapter: AdapterDefinition = {
  packageName: "p-queue",
  versions: { from: "9.0.0", below: "11.0.0" },
  formats: ["esm"],
  patch,
};
