/**
 * undici 7.x and 8.x (the npm package): a request that must wait for a connection
 * is a wait on the dispatcher that queued it.
 * - `Pool` (and BalancedPool): every connection busy and `connections`
 *   reached, the request sits in the pool's own queue: `Pool::dispatch` on a
 *   `Pool` resource.
 * - `Agent`: it keeps one Pool per origin (one Client when `connections` is
 *   1) and queues there: `Agent::dispatch` on an `Agent` resource named by
 *   the origin.
 * - `fetch` from the package, or the global fetch once the app made an
 *   undici Agent the global dispatcher (setGlobalDispatcher), goes through
 *   that Agent and is covered. Node's built-in fetch with its default
 *   dispatcher runs on Node's own bundled copy of undici, whose classes the
 *   app cannot reach: its connection waits are not seen (docs/adapters.md).
 * No task holds a connection (a request frees it when its response is
 * read), so the resources have no owners.
 *
 * Patched: DispatcherBase.prototype.dispatch, shared by Client, Pool and
 * Agent (before/after the call the queue lengths say whether the request
 * queued), and destroy (queued requests fail). A wait ends when the request
 * is handed to a connection: a queued Pool request when the pool dispatches
 * it to a Client, a queued Client request when its headers are sent
 * (diagnostics channel `undici:client:sendHeaders`) or it errors
 * (`undici:request:error`). undici's private state is read through symbols
 * found by their description on the instance ("queued", "queue",
 * "connections", "url", "pending index", "running index", "pipelining").
 */
import { subscribe } from "node:diagnostics_channel";
import { claimNextAwait } from "../private/await-hooks.js";
import { claim, currentLiveTask, track, trackedOf, type LibraryState, type ResourceSpec, type LiveTask, type TrackedWait } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";

type Dispatcher = Record<symbol, unknown> & { readonly stats?: { connected: number; free: number; queued: number; running: number; pending: number } };
type Method = (this: Dispatcher, ...args: unknown[]) => unknown;

const symbolCache = new Map<string, symbol>();

/** undici's private symbol with this description, own on `target` (cached once found). */
function sym(target: object, description: string): symbol | undefined {
  const cached = symbolCache.get(description);
  if (cached !== undefined && cached in target) return cached;
  for (const s of Object.getOwnPropertySymbols(target)) {
    if (s.description === description) {
      symbolCache.set(description, s);
      return s;
    }
  }
  return undefined;
}

function read(target: Dispatcher, description: string): unknown {
  const s = sym(target, description);
  return s === undefined ? undefined : target[s];
}

/** The Agent whose dispatch() is on the stack (its per-origin dispatcher is dispatching for it). */
let agentDispatching: object | undefined;

/** Open waits: a Pool-queued request by its opts object, a Client-queued one by its Request object. */
const poolWaits = new WeakMap<object, TrackedWait>();
const clientWaits = new WeakMap<object, TrackedWait>();
const viaAgent = new WeakSet<object>();
/** Waits started so far: an API call that started one claims the promise it returns. */
let waitsStarted = 0;
/** Wrapped request()/stream() calls on the stack: they claim their own promise. */
let apiDepth = 0;
/** dispatch() calls on the stack (an Agent's dispatches to its Pool or Client nest). */
let dispatchDepth = 0;
/**
 * Per task, the promises of its fetch() calls not yet dispatched, oldest first
 * (weakly: a fetch that failed before dispatching is let go). fetch()
 * dispatches after awaits of its own, when the app already awaits its promise:
 * a queued dispatch claims the oldest, so the await is not listed twice.
 */
const fetches = new WeakMap<LiveTask, WeakRef<Promise<unknown>>[]>();
/** The fetch() whose dispatch is on the stack. */
let dispatchingFetch: Promise<unknown> | undefined;

function nextFetch(task: LiveTask | undefined): Promise<unknown> | undefined {
  const list = task === undefined ? undefined : fetches.get(task);
  while (list !== undefined && list.length > 0) {
    const promise = list.shift()!.deref();
    if (promise !== undefined) return promise;
  }
  return undefined;
}

/** A dispatch queued: the promise the app awaits is the adapter's wait (see request()/stream() and fetches). */
function claimQueued(): void {
  if (apiDepth > 0) return;
  if (dispatchingFetch !== undefined) claim(dispatchingFetch);
  // A top-level request() the app bound before the patch: its promise is awaited next, in this run.
  else claimNextAwait(currentLiveTask());
}

function origin(target: Dispatcher): string {
  const url = read(target, "url");
  return url instanceof URL ? url.origin : String(url ?? "unknown origin");
}

function isPool(target: Dispatcher): boolean {
  return typeof read(target, "queued") === "number";
}

function clientQueue(target: Dispatcher): unknown[] | undefined {
  const queue = read(target, "queue");
  return Array.isArray(queue) ? queue : undefined;
}

/** Requests on a Client: running and waiting (queue length minus the finished prefix). */
function clientSize(client: Dispatcher, queue: unknown[]): number {
  const running = read(client, "running index");
  return queue.length - (typeof running === "number" ? running : 0);
}

function clientState(client: Dispatcher): { running: number; pending: number } {
  const queue = clientQueue(client) ?? [];
  const runningIdx = Number(read(client, "running index") ?? 0);
  const pendingIdx = Number(read(client, "pending index") ?? 0);
  return { running: pendingIdx - runningIdx, pending: queue.length - pendingIdx };
}

function spec(context: AdapterContext, target: Dispatcher, agent: boolean): ResourceSpec<Dispatcher> {
  const pool = isPool(target);
  return {
    concreteType: agent ? "Agent" : "Pool",
    library: context.libraryText,
    name: origin(target),
    read: (d): LibraryState => {
      if (!pool) {
        const { running, pending } = clientState(d);
        return { capacity: 1, inUse: running > 0 ? 1 : 0, pending };
      }
      const connections = read(d, "connections");
      const stats = d.stats;
      return {
        capacity: typeof connections === "number" && connections > 0 ? connections : undefined,
        inUse: stats === undefined ? undefined : stats.connected - stats.free,
        pending: stats?.queued,
      };
    },
    reason: (resource) => {
      const d = resource.target!;
      if (!pool) {
        const { running } = clientState(d);
        return `waiting for a connection to ${origin(d)}: 1/1 connections busy (${running} request${running === 1 ? "" : "s"} running)`;
      }
      const stats = d.stats;
      const connections = read(d, "connections");
      const busy = stats === undefined ? 0 : stats.connected - stats.free;
      const of = typeof connections === "number" && connections > 0 ? `${busy}/${connections}` : `${busy}`;
      const running = stats?.running ?? 0;
      return `waiting for a connection to ${origin(d)}: ${of} connections busy (${running} request${running === 1 ? "" : "s"} running)`;
    },
  };
}

let channelsHooked = false;

/** Client-queued waits end when their request is written or fails. */
function hookChannels(context: AdapterContext): void {
  if (channelsHooked) return;
  channelsHooked = true;
  const end = (message: unknown) => {
    if (!context.on()) return;
    const request = (message as { request?: object } | null)?.request;
    if (request === undefined) return;
    const wait = clientWaits.get(request);
    if (wait === undefined) return;
    clientWaits.delete(request);
    context.safely(() => wait.end());
  };
  subscribe("undici:client:sendHeaders", end);
  subscribe("undici:request:error", end);
}

function patch(exports: unknown, context: AdapterContext): void {
  const lib = exports as { Pool?: unknown; Agent?: unknown; Client?: unknown };
  const Pool = lib.Pool as (Function & { prototype: object }) | undefined;
  const Agent = lib.Agent as (Function & { prototype: object }) | undefined;
  if (typeof Pool !== "function" || typeof Agent !== "function") throw new Error("undici exports no Pool or Agent");
  // Pool → PoolBase → DispatcherBase, which owns dispatch() for Client, Pool and Agent alike.
  let base: object | null = Pool.prototype;
  while (base !== null && !Object.hasOwn(base, "dispatch")) base = Object.getPrototypeOf(base) as object | null;
  if (base === null || !(base instanceof Object) || !Object.hasOwn(base, "destroy")) throw new Error("undici's DispatcherBase has no dispatch/destroy");
  if (!(Agent.prototype instanceof (base.constructor as Function))) throw new Error("undici's Agent does not share DispatcherBase");
  hookChannels(context);

  wrapMethod<Method>(
    base,
    "dispatch",
    (original) =>
      function dispatch(this: Dispatcher, ...args: unknown[]): unknown {
        if (!context.on()) return original.apply(this, args);
        if (dispatchDepth === 0) {
          const outerFetch = dispatchingFetch;
          dispatchingFetch = apiDepth === 0 ? context.safely(() => nextFetch(currentLiveTask()), undefined) : undefined;
          dispatchDepth++;
          try {
            return dispatch.apply(this, args);
          } finally {
            dispatchDepth--;
            dispatchingFetch = outerFetch;
          }
        }
        const opts = args[0];
        if (this instanceof (Agent as Function)) {
          const outer = agentDispatching;
          agentDispatching = this;
          try {
            return original.apply(this, args);
          } finally {
            agentDispatching = outer;
          }
        }
        const agent = agentDispatching !== undefined;
        agentDispatching = undefined;
        const before = context.safely(() => {
          if (isPool(this)) return { pool: true, count: read(this, "queued") as number };
          // A Pool hands a queued request to one of its Clients: that wait is over.
          if (typeof opts === "object" && opts !== null) {
            const pooled = poolWaits.get(opts);
            if (pooled !== undefined) {
              poolWaits.delete(opts);
              pooled.end();
            }
          }
          // Only a Client an Agent dispatches to directly (connections: 1) is reported.
          const queue = agent ? clientQueue(this) : undefined;
          return queue === undefined ? undefined : { pool: false, count: clientSize(this, queue) };
        }, undefined);
        const result = original.apply(this, args);
        if (before === undefined) return result;
        context.safely(() => {
          if (agent) viaAgent.add(this);
          const throughAgent = viaAgent.has(this);
          const source = throughAgent ? "Agent::dispatch" : "Pool::dispatch";
          if (before.pool) {
            if ((read(this, "queued") as number) <= before.count || typeof opts !== "object" || opts === null) return;
            const resource = track(this, () => spec(context, this, throughAgent), dispatch);
            const wait = resource?.wait(undefined, { source, below: dispatch });
            if (wait !== undefined) {
              poolWaits.set(opts, wait);
              waitsStarted++;
              claimQueued();
            }
            return;
          }
          const queue = clientQueue(this);
          const pipelining = Number(read(this, "pipelining") ?? 1) || 1;
          // Queued behind requests already filling the connection's pipeline.
          if (queue === undefined || before.count < pipelining || clientState(this).pending === 0) return;
          const request = queue[queue.length - 1];
          if (typeof request !== "object" || request === null) return;
          const resource = track(this, () => spec(context, this, true), dispatch);
          const wait = resource?.wait(undefined, { source, below: dispatch });
          if (wait !== undefined) {
            clientWaits.set(request, wait);
            waitsStarted++;
            claimQueued();
          }
        });
        return result;
      },
  );

  // request() and stream() dispatch synchronously inside the promise they return: when that
  // dispatch queued, the app's await of the promise is the adapter's op, not a plain await.
  // (fetch() dispatches later, after its own awaits: its promise is not claimed.)
  const claimIfQueued = (original: Method) =>
    function api(this: Dispatcher, ...args: unknown[]) {
      if (!context.on()) return original.apply(this, args);
      const before = waitsStarted;
      apiDepth++;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } finally {
        apiDepth--;
      }
      if (waitsStarted > before && result instanceof Promise) context.safely(() => claim(result));
      return result;
    };
  let api: object | null = Agent.prototype;
  while (api !== null && !Object.hasOwn(api, "request")) api = Object.getPrototypeOf(api) as object | null;
  for (const name of ["request", "stream"]) {
    if (api !== null && typeof (api as Record<string, unknown>)[name] === "function") wrapMethod<Method>(api, name, claimIfQueued);
    // The top-level helpers (undici.request(url, { dispatcher })) capture the API function: wrap them too.
    if (typeof (lib as Record<string, unknown>)[name] === "function") wrapMethod<Method>(lib, name, claimIfQueued);
  }

  if (typeof (lib as Record<string, unknown>).fetch === "function") {
    wrapMethod<Method>(
      lib,
      "fetch",
      (original) =>
        function fetch(this: Dispatcher, ...args: unknown[]) {
          const result = original.apply(this, args);
          if (context.on() && result instanceof Promise) {
            context.safely(() => {
              const task = currentLiveTask();
              if (task === undefined) return;
              let list = fetches.get(task);
              if (list === undefined) fetches.set(task, (list = []));
              // A task's fetches that never dispatch (refused before) must not pile up.
              if (list.length >= 64) list.shift();
              list.push(new WeakRef(result));
            });
          }
          return result;
        },
    );
  }

  wrapMethod<Method>(
    base,
    "destroy",
    (original) =>
      function destroy(this: Dispatcher, ...args: unknown[]) {
        const result = original.apply(this, args);
        // Queued requests fail with the dispatcher: their waits are over.
        if (context.on())
          context.safely(() => {
            const resource = trackedOf(this);
            if (resource !== undefined) for (const wait of [...resource.waits]) wait.end();
          });
        return result;
      },
  );
}

export const undiciAdapter: AdapterDefinition = {
  packageName: "undici",
  versions: { from: "7.0.0", below: "9.0.0" },
  formats: ["cjs"],
  patch,
};
