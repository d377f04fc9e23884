/**
 * tarn 3.x (knex's pool): each Pool is a `Pool` resource; a resource in
 * `used` is a unit held by the task that acquired it, until release; an
 * acquire that finds no free resource is a `Pool::acquire` wait. tarn's
 * acquires always time out (acquireTimeoutMillis, 30 s by default), so the
 * resource always carries `insight.timeout_ms`.
 * Patched: the Pool class (subclassed so its creation site is known),
 * Pool.prototype.acquire and release.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { currentLiveTask, follow, track, trackedOf, usageText, type LibraryState, type ResourceSpec } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";

interface TarnPool {
  readonly max: number;
  readonly acquireTimeoutMillis: number;
  readonly pendingAcquires: unknown[];
  numUsed(): number;
  numPendingAcquires(): number;
}

interface PendingAcquire {
  promise: Promise<unknown>;
}

type Method = (this: TarnPool, ...args: unknown[]) => unknown;

function spec(context: AdapterContext): ResourceSpec<TarnPool> {
  return {
    concreteType: "Pool",
    library: context.libraryText,
    read: (pool): LibraryState => ({
      capacity: pool.max,
      inUse: pool.numUsed(),
      pending: pool.numPendingAcquires(),
      timeoutMs: pool.acquireTimeoutMillis,
    }),
    reason: (resource) => `waiting for a pool connection: ${usageText(resource, resource.spec.read(resource.target!), "checked out")}`,
  };
}

function patch(exports: unknown, context: AdapterContext): void {
  const lib = exports as { Pool?: Function };
  const Pool = lib.Pool;
  if (typeof Pool !== "function") throw new Error("tarn exports no Pool class");
  const poolSpec = spec(context);
  const proto = Pool.prototype;

  wrapMethod<Method>(
    proto,
    "acquire",
    (original) =>
      function acquire(this: TarnPool, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const pending = original.apply(this, args) as PendingAcquire;
        context.safely(() => {
          const promise = pending?.promise;
          if (!(promise instanceof Promise)) return;
          const resource = track(this, poolSpec, acquire);
          if (resource === undefined) return;
          const task = currentLiveTask();
          // Still queued when acquire returns: no free resource was there to take.
          const wait = this.pendingAcquires.includes(pending) ? resource.wait(undefined, { source: "Pool::acquire", below: acquire, task }) : undefined;
          // The app reads `.promise` after acquire returns: it gets one that settles as tarn's does, once the loan is recorded.
          pending.promise = follow(
            promise,
            (object) => {
              wait?.end();
              if (typeof object === "object" && object !== null) resource.hold(object, task);
            },
            () => wait?.end(),
          );
        });
        return pending;
      },
  );

  wrapMethod<Method>(
    proto,
    "release",
    (original) =>
      function release(this: TarnPool, ...args: unknown[]) {
        const released = original.apply(this, args);
        const object = args[0];
        if (context.on() && released === true && typeof object === "object" && object !== null) context.safely(() => trackedOf(this)?.release(object));
        return released;
      },
  );

  // The creation site: `new Pool(...)` in the app (or knex(...) for knex's pool). The subclass is the
  // same class to the app (instanceof, static members). tarn's index exports a plain object made from
  // dist/Pool.js's exports (3.0.2 had a getter reading them at each access): the subclass goes in both.
  if ((Pool as unknown as Record<symbol, unknown>)[SUBCLASS] !== undefined) return;
  const Base = Pool as unknown as new (...args: unknown[]) => TarnPool;
  const Tracked = class Pool extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      if (context.on()) context.safely(() => track(this, poolSpec, Tracked));
    }
  };
  Object.defineProperty(Tracked, SUBCLASS, { value: Pool });
  const inner = createRequire(join(context.library.root, "package.json"))("./dist/Pool.js") as { Pool?: unknown };
  if (inner.Pool === Pool) inner.Pool = Tracked;
  const descriptor = Object.getOwnPropertyDescriptor(lib, "Pool");
  if (descriptor?.writable === true) lib.Pool = Tracked;
}

const SUBCLASS = Symbol.for("async-insight.adapters.tarn-pool");

export const tarnAdapter: AdapterDefinition = {
  packageName: "tarn",
  versions: { from: "3.0.0", below: "4.0.0" },
  formats: ["cjs"],
  patch,
};
