/**
 * generic-pool 3.x: each Pool is a `Pool` resource; a borrowed object is a
 * unit held by the task that acquired it (until release or destroy); an
 * acquire that cannot be served at once is a `Pool::acquire` wait.
 * Patched: createPool (creation site), Pool.prototype.acquire, use, release
 * and destroy (the public API; `use` goes through acquire and release).
 */
import { claim, currentLiveTask, observe, track, trackedOf, usageText, type LibraryState, type ResourceSpec } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";

/** The parts of generic-pool's Pool the adapter reads (its public getters, and the configured timeout). */
interface GenericPool {
  readonly max: number;
  readonly borrowed: number;
  readonly pending: number;
  readonly available: number;
  readonly spareResourceCapacity: number;
  readonly _draining?: boolean;
  readonly _config?: { acquireTimeoutMillis?: number | null; maxWaitingClients?: number | null };
  isBorrowedResource(resource: unknown): boolean;
}

type Method = (this: GenericPool, ...args: unknown[]) => unknown;

/** generic-pool's own conditions for refusing an acquire before queueing it (Pool.acquire). */
function rejectsAtOnce(pool: GenericPool): boolean {
  if (pool._draining === true) return true;
  const max = pool._config?.maxWaitingClients;
  return max !== undefined && max !== null && pool.spareResourceCapacity < 1 && pool.available < 1 && pool.pending >= max;
}

function spec(context: AdapterContext): ResourceSpec<GenericPool> {
  return {
    concreteType: "Pool",
    library: context.libraryText,
    read: (pool): LibraryState => ({
      capacity: pool.max,
      inUse: pool.borrowed,
      pending: pool.pending,
      timeoutMs: pool._config?.acquireTimeoutMillis ?? undefined,
    }),
    reason: (resource) => `waiting for a pool connection: ${usageText(resource, resource.spec.read(resource.target!), "checked out")}`,
  };
}

function patch(exports: unknown, context: AdapterContext): void {
  const lib = exports as { Pool?: Function; createPool?: unknown };
  const Pool = lib.Pool;
  if (typeof Pool !== "function" || typeof lib.createPool !== "function") throw new Error("generic-pool exports no Pool class or createPool");
  const poolSpec = spec(context);

  wrapMethod<(...args: unknown[]) => GenericPool>(
    lib,
    "createPool",
    (original) =>
      function createPool(this: unknown, ...args: unknown[]) {
        const pool = original.apply(this, args);
        if (context.on()) context.safely(() => track(pool, poolSpec, createPool));
        return pool;
      },
  );

  const proto = Pool.prototype;
  wrapMethod<Method>(
    proto,
    "acquire",
    (original) =>
      function acquire(this: GenericPool, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const before = context.safely(() => ({ pending: this.pending, rejectsAtOnce: rejectsAtOnce(this) }), undefined);
        const promise = original.apply(this, args);
        context.safely(() => {
          // A request refused at once (draining, too many waiters) is nobody's wait, and its promise
          // is the app's alone to handle: it is left untouched.
          if (!(promise instanceof Promise) || before === undefined || before.rejectsAtOnce) return;
          const resource = track(this, poolSpec, acquire);
          if (resource === undefined) return;
          claim(promise);
          const task = currentLiveTask();
          // Served at once when the request left the queue before acquire returned. generic-pool's
          // queue handles every queued request's rejection itself, so observing it changes nothing.
          if (this.pending > before.pending) resource.wait(promise, { source: "Pool::acquire", below: acquire, task });
          observe(promise, (object) => {
            if (typeof object === "object" && object !== null && this.isBorrowedResource(object)) resource.hold(object, task);
          });
        });
        return promise;
      },
  );

  for (const name of ["release", "destroy"]) {
    wrapMethod<Method>(
      proto,
      name,
      (original) =>
        function giveBack(this: GenericPool, ...args: unknown[]) {
          if (context.on()) {
            const object = args[0];
            context.safely(() => {
              if (typeof object === "object" && object !== null) trackedOf(this)?.release(object);
            });
          }
          return original.apply(this, args);
        },
    );
  }

  wrapMethod<Method>(
    proto,
    "use",
    (original) =>
      function use(this: GenericPool, ...args: unknown[]) {
        const promise = original.apply(this, args);
        // The app awaits use() while its function runs: that wait is the acquire's (recorded there), not a plain promise.
        if (context.on() && promise instanceof Promise) context.safely(() => claim(promise));
        return promise;
      },
  );
}

export const genericPoolAdapter: AdapterDefinition = {
  packageName: "generic-pool",
  versions: { from: "3.0.0", below: "4.0.0" },
  formats: ["cjs"],
  patch,
};
