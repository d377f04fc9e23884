/**
 * p-limit 6.x and 7.x (ESM only): each limiter is a `Limiter` resource; a
 * running function is a slot (unit) held by the task that called the
 * limiter, until its promise settles (when p-limit frees the slot); a call
 * that finds every slot taken is a `Limiter::run` wait until its function
 * starts (or is dropped by clearQueue). A slot is named as its task's
 * (`holder:<task>`) only while that can close a cycle: a call waiting from
 * inside one of the limiter's own slots (nested) keeps that slot, while the
 * slots of a task that fans out calls over the full limiter free themselves
 * (ResourceSpec.selfFreeing, slot-context.ts, docs/adapters.md). p-limit hands out closures, so nothing can be patched after the
 * fact: its default export is wrapped as the module loads (esm-hooks.ts),
 * which needs `node --import async-insight/register` (docs/adapters.md).
 */
import { claim, currentLiveTask, observe, runningText, track, trackedOf, type LibraryState, type ResourceSpec, type TrackedWait } from "./kit.js";
import type { AdapterContext, AdapterDefinition } from "./patching.js";
import { currentSlots, nestedIn, runInSlot } from "./slot-context.js";

interface Limit {
  (fn: (...args: unknown[]) => unknown, ...args: unknown[]): Promise<unknown>;
  readonly activeCount: number;
  readonly pendingCount: number;
  concurrency: number;
  clearQueue(): void;
}

function spec(context: AdapterContext): ResourceSpec<Limit> {
  return {
    concreteType: "Limiter",
    library: context.libraryText,
    read: (limit): LibraryState => ({ capacity: limit.concurrency, inUse: limit.activeCount, pending: limit.pendingCount }),
    selfFreeing: "call",
    reason: (resource) => `waiting for a limiter slot: ${runningText(resource, resource.spec.read(resource.target!))}`,
  };
}

/** The limiter the app gets: the same calls and properties, each call recorded. */
function instrumentLimiter(limit: Limit, context: AdapterContext, limiterSpec: ResourceSpec<Limit>, below: Function): Limit {
  const limited = ((fn: (...args: unknown[]) => unknown, ...args: unknown[]): Promise<unknown> => {
    if (!context.on() || typeof fn !== "function") return limit(fn, ...args);
    const resource = context.safely(() => track(limited, limiterSpec, limited), undefined);
    if (resource === undefined) return limit(fn, ...args);
    const task = currentLiveTask();
    const slot = {};
    // The slots this call is made from (read now: a queued call runs from another one's completion).
    const chain = currentSlots();
    let wait: TrackedWait | undefined;
    const free = () => context.safely(() => trackedOf(limited)?.release(slot));
    // Nothing is attached to the limiter's promise (an app that drops it must still see its
    // rejection): the function's start and end are seen from inside.
    const run = (...a: unknown[]) => {
      context.safely(() => {
        wait?.end();
        resource.hold(slot, task);
      });
      let result: unknown;
      try {
        result = runInSlot({ owner: limited, slot, parent: chain }, fn, undefined, a);
      } catch (error) {
        free();
        throw error;
      }
      // p-limit awaits the function's promise itself: observing it changes nothing.
      if (result instanceof Promise) observe(result, free, free);
      else free();
      return result;
    };
    const queuedBefore = context.safely(() => limit.pendingCount, -1);
    const promise = limit(run, ...args);
    context.safely(() => {
      claim(promise);
      // Queued behind the running ones (a free slot is taken before the call returns).
      if (queuedBefore >= 0 && limit.pendingCount > queuedBefore)
        wait = resource.wait(undefined, { source: "Limiter::run", below: limited, task, within: nestedIn(chain, limited) });
    });
    return promise;
  }) as Limit;
  Object.defineProperties(limited, {
    activeCount: { get: () => limit.activeCount },
    pendingCount: { get: () => limit.pendingCount },
    clearQueue: {
      value: () => {
        limit.clearQueue();
        // The queued calls are dropped (or rejected, with rejectOnClear): their waits are over.
        context.safely(() => trackedOf(limited)?.endAllWaits());
      },
    },
    concurrency: {
      get: () => limit.concurrency,
      set: (value: number) => {
        limit.concurrency = value;
      },
    },
    map: {
      // p-limit's own map calls its unwrapped closure; this one goes through the recorded calls.
      async value(iterable: Iterable<unknown>, fn: (value: unknown, index: number) => unknown) {
        const promises: Promise<unknown>[] = [];
        try {
          Array.from(iterable, (value, index) => {
            const promise = limited(fn as (...args: unknown[]) => unknown, value, index);
            promises.push(promise);
            return promise;
          });
        } catch (error) {
          for (const promise of promises) promise.catch(() => undefined);
          throw error;
        }
        return Promise.all(promises);
      },
    },
  });
  context.safely(() => {
    if (context.on()) track(limited, limiterSpec, below);
  });
  return limited;
}

export const pLimitAdapter: AdapterDefinition = {
  packageName: "p-limit",
  versions: { from: "6.0.0", below: "8.0.0" },
  formats: [],
  patch: () => undefined,
  wrapExport(name, original, context) {
    if (name !== "p-limit:default") return original;
    const limiterSpec = spec(context);
    const pLimit = original as (...args: unknown[]) => Limit;
    const wrapped = function pLimitInstrumented(this: unknown, ...args: unknown[]): Limit {
      const limit = pLimit.apply(this, args);
      return context.safely(() => instrumentLimiter(limit, context, limiterSpec, wrapped), limit);
    };
    return wrapped;
  },
};
