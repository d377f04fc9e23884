/**
 * pg 8.x (node-postgres): each `Pool` is a `Pool` resource whose units are
 * its clients; a client checked out by pool.connect() is held by the task
 * that asked for it until release() (`holder:<task>`). A client pool.query()
 * checks out for its one query is counted in use but has no owner: the
 * query's end, not the task, gives it back (kit.ts, `hold(..., operation)`);
 * a connect that finds every client checked out is a `Pool::connect` wait.
 * A query queued behind another on one `Client` is a `Client::query` wait
 * (pg-client.ts).
 *
 * pg's Pool is pg-pool's class, reached through the prototype of `pg.Pool`
 * (pg binds it to its Client). Patched on pg-pool's Pool.prototype:
 * - connect: who asked (the pending item pg-pool makes for the request) and
 *   whether the request queued behind checked-out clients;
 * - newClient: the pending item of a request that opens a new connection;
 * - _acquireClient: the moment a client is handed to a request (the loan);
 * - _release: the client given back;
 * - query: its promise is awaited by the app while the connect inside waits.
 * These internal names are stable across pg-pool 3.x (pg 8.x); a missing one
 * makes patch() throw, so the loader disables the adapter and says so.
 */
import { claim, currentLiveTask, track, trackedOf, usageText, type LibraryState, type ResourceSpec, type LiveTask, type TrackedWait } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";
import { patchPgClient } from "./pg-client.js";

/** pg-pool's per-request record (PendingItem): the adapter keys on its identity only. */
type PendingItem = { timedOut?: boolean };

/** The parts of pg-pool's Pool the adapter reads. */
interface PgPool {
  readonly options: {
    max: number;
    connectionTimeoutMillis?: number;
    application_name?: string;
    connectionString?: string;
    host?: string;
    port?: number;
    database?: string;
  };
  readonly _clients: unknown[];
  readonly _idle: unknown[];
  readonly _pendingQueue: PendingItem[];
  readonly Promise?: PromiseConstructor;
}

type Method = (this: PgPool, ...args: unknown[]) => unknown;

/** Who asked for each pending item, and its wait when it blocked. */
interface Request {
  readonly task: LiveTask | undefined;
  wait: TrackedWait | undefined;
  /** Made by pool.query() for its one query: the client is freed by the query ending, not by the task. */
  readonly forQuery: boolean;
}
const requests = new WeakMap<PendingItem, Request>();

/** The pending item newClient() was handed during the current connect() call. */
let newClientItem: PendingItem | undefined;
/** connect() calls on the stack (newClient also runs from pg-pool's queue, outside any connect). */
let connectDepth = 0;
/** Set by connect() when it blocked, so the pool.query() around it claims its own promise. */
let blockedInside = false;
/** pool.query() calls on the stack: the connect() made directly inside one checks out for that query. */
let queryDepth = 0;

function checkedOut(pool: PgPool): number {
  return Math.max(0, pool._clients.length - pool._idle.length);
}

/**
 * The pool's name: the app's application_name when it set one, else the
 * database it points at as `database@host:port` (never the user or password).
 */
function poolName(pool: PgPool): string | undefined {
  const o = pool.options;
  if (typeof o.application_name === "string" && o.application_name !== "") return o.application_name;
  let { database, host, port } = o;
  if (typeof o.connectionString === "string") {
    try {
      const url = new URL(o.connectionString);
      database ??= decodeURIComponent(url.pathname.slice(1)) || undefined;
      host ??= url.hostname || undefined;
      port ??= url.port ? Number(url.port) : undefined;
    } catch {
      // Not a URL (a keyword/value string): the defaults below.
    }
  }
  return `${database ?? process.env.PGDATABASE ?? "postgres"}@${host ?? process.env.PGHOST ?? "localhost"}:${port ?? process.env.PGPORT ?? 5432}`;
}

function spec(context: AdapterContext, pool: PgPool): ResourceSpec<PgPool> {
  return {
    concreteType: "Pool",
    library: `pg@${context.library.version}`,
    name: poolName(pool),
    read: (p): LibraryState => ({
      capacity: p.options.max,
      inUse: checkedOut(p),
      pending: p._pendingQueue.length,
      timeoutMs: p.options.connectionTimeoutMillis || undefined,
    }),
    reason: (resource) => {
      const state = resource.spec.read(resource.target!);
      const usage = usageText(resource, state, "checked out");
      const timeout = state.timeoutMs ? `; fails after ${state.timeoutMs} ms (connectionTimeoutMillis)` : "";
      return `waiting for a pool connection: ${usage}${timeout}`;
    },
  };
}

function patchPool(proto: Record<string, unknown>, context: AdapterContext): void {
  for (const name of ["connect", "newClient", "_acquireClient", "_release", "query"]) {
    if (typeof proto[name] !== "function") throw new Error(`pg-pool's Pool has no ${name}()`);
  }
  const trackPool = (pool: PgPool, below: Function) => track(pool, () => spec(context, pool), below);

  wrapMethod<Method>(
    proto,
    "connect",
    (original) =>
      function connect(this: PgPool, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const before = context.safely(() => ({ queued: this._pendingQueue.length, idle: this._idle.length, task: currentLiveTask() }), undefined);
        const outerItem = newClientItem;
        newClientItem = undefined;
        const forQuery = queryDepth > 0;
        const outerQueryDepth = queryDepth;
        queryDepth = 0;
        // A request that times out or fails never reaches _acquireClient: its wait ends in the
        // callback. Without one, the app gets a promise of the pool's Promise class that settles
        // exactly as pg-pool's own would (same client, same error), so nothing is attached to a
        // promise of the app's: one it drops still rejects unhandled, as without insight.
        let request: Request | undefined;
        const callback = args[0];
        let settle: ((error: unknown, client: unknown) => void) | undefined;
        let promise: Promise<unknown> | undefined;
        if (typeof callback === "function") {
          args[0] = function connected(this: unknown, ...results: unknown[]) {
            request?.wait?.end();
            return (callback as (...a: unknown[]) => unknown).apply(this, results);
          };
        } else if (args.length === 0) {
          const PromiseClass = (this.Promise ?? Promise) as PromiseConstructor;
          promise = new PromiseClass((resolve, reject) => {
            settle = (error, client) => (error ? reject(error) : resolve(client));
          });
          args[0] = function connected(error: unknown, client: unknown) {
            request?.wait?.end();
            settle!(error, client);
          };
        }
        let result: unknown;
        connectDepth++;
        try {
          result = original.apply(this, args);
        } finally {
          connectDepth--;
          queryDepth = outerQueryDepth;
          const created = newClientItem;
          newClientItem = outerItem;
          if (before !== undefined) {
            context.safely(() => {
              const resource = trackedOf(this) ?? trackPool(this, connect);
              if (resource === undefined) return;
              const queue = this._pendingQueue;
              const queued = queue.length > before.queued ? queue[queue.length - 1] : undefined;
              const item = queued ?? created;
              if (item === undefined) return;
              request = { task: before.task, wait: undefined, forQuery };
              requests.set(item, request);
              // Queued with an idle client at hand is served on the next tick: not a wait.
              if (queued === undefined || before.idle > 0) return;
              if (promise !== undefined) claim(promise);
              request.wait = resource.wait(undefined, { source: "Pool::connect", below: connect, task: before.task });
              blockedInside = true;
            });
          }
        }
        return promise ?? result;
      },
  );

  wrapMethod<Method>(
    proto,
    "newClient",
    (original) =>
      function newClient(this: PgPool, ...args: unknown[]) {
        if (connectDepth > 0) newClientItem = args[0] as PendingItem;
        return original.apply(this, args);
      },
  );

  wrapMethod<Method>(
    proto,
    "_acquireClient",
    (original) =>
      function _acquireClient(this: PgPool, ...args: unknown[]) {
        if (context.on()) {
          const [client, item] = args as [object, PendingItem];
          context.safely(() => {
            const request = item === undefined ? undefined : requests.get(item);
            if (request === undefined) return;
            requests.delete(item);
            request.wait?.end();
            // A request that timed out gets no client: pg-pool releases it at once.
            if (!item.timedOut && typeof client === "object" && client !== null)
              trackedOf(this)?.hold(client, request.task, 1, request.forQuery ? "pool.query()" : undefined);
          });
        }
        return original.apply(this, args);
      },
  );

  wrapMethod<Method>(
    proto,
    "_release",
    (original) =>
      function _release(this: PgPool, ...args: unknown[]) {
        if (context.on()) {
          const client = args[0];
          context.safely(() => {
            if (typeof client === "object" && client !== null) trackedOf(this)?.release(client);
          });
        }
        return original.apply(this, args);
      },
  );

  wrapMethod<Method>(
    proto,
    "query",
    (original) =>
      function query(this: PgPool, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const outer = blockedInside;
        blockedInside = false;
        queryDepth++;
        try {
          const result = original.apply(this, args);
          // The app awaits this promise while the connect() inside waits: that wait is the Pool::connect op.
          if (blockedInside && result instanceof Promise) context.safely(() => claim(result));
          return result;
        } finally {
          queryDepth--;
          blockedInside = outer;
        }
      },
  );
}

function patch(exports: unknown, context: AdapterContext): void {
  const pg = exports as { Pool?: unknown; Client?: unknown };
  const Pool = pg.Pool as (Function & { prototype: object }) | undefined;
  const Client = pg.Client as (Function & { prototype: object }) | undefined;
  if (typeof Pool !== "function" || typeof Client !== "function") throw new Error("pg exports no Pool or Client class");
  // pg.Pool is `class BoundPool extends Pool`: pg-pool's Pool is its parent.
  const base = Object.getPrototypeOf(Pool.prototype) as Record<string, unknown> | null;
  const proto = base !== null && Object.hasOwn(base, "connect") ? base : (Pool.prototype as Record<string, unknown>);
  patchPool(proto, context);
  patchPgClient(Client.prototype as Record<string, unknown>, context);
  locateAtCreation(pg as Record<string, unknown>, context);
}

const wrappedClasses = new WeakSet<object>();

/**
 * `pg.Pool` replaced by a Proxy of the class whose construct trap tracks each
 * new pool, so it is located at `new Pool(...)`. A Proxy (not a subclass):
 * `instanceof`, statics and `extends pg.Pool` behave as before, for pools made
 * before too. Reached only by code that reads `pg.Pool` after the patch (the
 * default import, `require`, anything under --import); a class the app took
 * before (`import { Pool } from "pg"` ahead of an init()) makes pools located
 * at their first use.
 */
function locateAtCreation(pg: Record<string, unknown>, context: AdapterContext): void {
  const descriptor = Object.getOwnPropertyDescriptor(pg, "Pool");
  const Pool = descriptor?.value as (new (...args: unknown[]) => PgPool) | undefined;
  if (typeof Pool !== "function" || descriptor?.writable !== true || wrappedClasses.has(Pool)) return;
  const traps: ProxyHandler<new (...args: unknown[]) => PgPool> = {
    construct(target, args, newTarget) {
      const pool = Reflect.construct(target, args, newTarget) as PgPool;
      if (context.on()) context.safely(() => track(pool, () => spec(context, pool), traps.construct!));
      return pool;
    },
  };
  const proxy = new Proxy(Pool, traps);
  wrappedClasses.add(proxy);
  pg.Pool = proxy;
}

export const pgAdapter: AdapterDefinition = {
  packageName: "pg",
  versions: { from: "8.0.0", below: "9.0.0" },
  formats: ["cjs"],
  patch,
};
