/**
 * pg's Client runs one query at a time: a query issued while another runs
 * (or before the connection is ready) waits in the client's queue. Each such
 * query is a `Client::query` wait on a `Client` resource, created at the
 * first query that queues (a client that never queues costs one length check
 * per query). No task "holds" a client's running query: it ends when the
 * server answers, so the resource has no owners and the reason names no
 * holder.
 *
 * Patched on pg's Client.prototype: query (did the new query queue?),
 * _pulseQueryQueue and _errorAllQueries (did queued queries leave the queue:
 * started, timed out, or failed with the connection?). pg ≥ 8.12 names the
 * queue `_queryQueue` (the plain names are deprecated getters that warn, so
 * they are read only when the underscored ones are absent, on older 8.x).
 */
import { claim, track, trackedOf, type LibraryState, type ResourceSpec, type TrackedWait } from "./kit.js";
import { wrapMethod, type AdapterContext } from "./patching.js";

interface PgClient {
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly readyForQuery?: boolean;
  readonly _connected?: boolean;
  readonly _connecting?: boolean;
  readonly connectionParameters?: { query_timeout?: number };
  readonly _queryQueue?: object[];
  readonly queryQueue?: object[];
  readonly _activeQuery?: object | null;
  readonly activeQuery?: object | null;
}

type Method = (this: PgClient, ...args: unknown[]) => unknown;

function queueOf(client: PgClient): object[] | undefined {
  return "_queryQueue" in client ? client._queryQueue : client.queryQueue;
}

function activeOf(client: PgClient): object | null | undefined {
  return "_activeQuery" in client ? client._activeQuery : client.activeQuery;
}

/** Queued queries of each tracked client and their waits (the wait's query, for the reason). */
const waitsOf = new WeakMap<PgClient, Map<object, TrackedWait>>();
const queryOf = new WeakMap<TrackedWait, object>();

function clientName(client: PgClient): string {
  return `${client.database ?? "postgres"}@${client.host ?? "localhost"}:${client.port ?? 5432}`;
}

function spec(context: AdapterContext, client: PgClient): ResourceSpec<PgClient> {
  return {
    concreteType: "Client",
    library: `pg@${context.library.version}`,
    name: clientName(client),
    read: (c): LibraryState => ({
      inUse: activeOf(c) ? 1 : 0,
      pending: queueOf(c)?.length ?? 0,
      timeoutMs: c.connectionParameters?.query_timeout || undefined,
    }),
    reason: (resource, wait) => {
      const c = resource.target!;
      const query = queryOf.get(wait);
      const position = query === undefined ? -1 : (queueOf(c)?.indexOf(query) ?? -1);
      const before = position > 0 ? ` and ${position} queued before it` : "";
      const timeout = c.connectionParameters?.query_timeout ? `; fails after ${c.connectionParameters.query_timeout} ms (query_timeout)` : "";
      if (!activeOf(c) && c.readyForQuery !== true) {
        return `query queued until the connection to ${clientName(c)} is ready${before ? ` (${position} queued before it)` : ""}${timeout}`;
      }
      return `query queued behind the running query${before} on the connection to ${clientName(c)}${timeout}`;
    },
  };
}

/** Queued queries with an open wait, over all clients: lets every pulse skip the sweep when 0. */
let openWaits = 0;

/** Ends the waits of queries that left the queue (started, timed out, failed). */
function sweep(client: PgClient): void {
  const waits = waitsOf.get(client);
  if (waits === undefined || waits.size === 0) return;
  const queue = queueOf(client) ?? [];
  for (const [query, wait] of waits) {
    if (queue.includes(query)) continue;
    waits.delete(query);
    openWaits--;
    wait.end();
  }
  trackedOf(client)?.changed();
}

export function patchPgClient(proto: Record<string, unknown>, context: AdapterContext): void {
  for (const name of ["query", "_pulseQueryQueue"]) {
    if (typeof proto[name] !== "function") throw new Error(`pg's Client has no ${name}()`);
  }

  wrapMethod<Method>(
    proto,
    "query",
    (original) =>
      function query(this: PgClient, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        // Hot path (every query): plain reads, no closure; the bookkeeping below runs only for a queued query.
        const before = "_queryQueue" in this ? this._queryQueue?.length : this.queryQueue?.length;
        const result = original.apply(this, args);
        if (before === undefined) return result;
        const after = "_queryQueue" in this ? this._queryQueue?.length : this.queryQueue?.length;
        if (after === undefined || after <= before) return result;
        context.safely(() => {
          const queue = queueOf(this);
          if (queue === undefined || queue.length <= before) return;
          const queued = queue[queue.length - 1]!;
          // Issued from the connect callback (pool.query() on a new client does so): pg starts it as soon
          // as that callback returns, in the same call (_handleReadyForQuery), so it never waits.
          if (this._connected === true && this._connecting !== true && this.readyForQuery !== true && !activeOf(this)) return;
          const resource = track(this, () => spec(context, this), query);
          if (resource === undefined) return;
          let waits = waitsOf.get(this);
          if (waits === undefined) waitsOf.set(this, (waits = new Map()));
          // The wait ends when the query leaves the queue (sweep), not when its result arrives.
          if (result instanceof Promise) claim(result);
          const wait = resource.wait(undefined, { source: "Client::query", below: query });
          if (wait === undefined) return;
          queryOf.set(wait, queued);
          waits.set(queued, wait);
          openWaits++;
        });
        return result;
      },
  );

  for (const name of ["_pulseQueryQueue", "_errorAllQueries"]) {
    if (typeof proto[name] !== "function") continue;
    wrapMethod<Method>(
      proto,
      name,
      (original) =>
        function pulse(this: PgClient, ...args: unknown[]) {
          const result = original.apply(this, args);
          if (openWaits > 0 && context.on()) context.safely(() => sweep(this));
          return result;
        },
    );
  }
}
