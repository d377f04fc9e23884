/**
 * ioredis 6.x: each connection (`Redis`) is a `Redis` resource. Two
 * kinds of command wait are `Redis::command` ops on it:
 * - a command issued while the connection is not ready sits in ioredis's
 *   offline queue until it (re)connects: "queued while disconnected";
 * - a blocking command (BLPOP, BRPOP, BLMOVE, XREAD ... BLOCK, ...) written to
 *   the server waits there until data arrives or its own timeout passes.
 * Nobody holds a connection, so the resource has no owners.
 *
 * Patched: Redis.prototype.sendCommand, the one door every command goes
 * through (ioredis also re-sends offline commands through it once ready). A
 * command's wait ends when it is written (offline) or when ioredis settles it
 * (its own `resolve`/`reject`, wrapped on that command object only), so the
 * adapter never attaches anything to the command's promise. Cluster is not
 * covered.
 */
import { claim, track, type LibraryState, type ResourceSpec, type TrackedWait } from "./kit.js";
import { wrapMethod, type AdapterContext, type AdapterDefinition } from "./patching.js";

interface Command {
  readonly name: string;
  readonly promise?: Promise<unknown>;
  resolve?: (value: unknown) => unknown;
  reject?: (error: unknown) => unknown;
  extractBlockingTimeout?(): number | null | undefined;
}

interface QueueItem {
  readonly command?: Command;
}

interface Deque {
  readonly length: number;
  peekAt?(index: number): QueueItem | undefined;
  toArray?(): QueueItem[];
}

interface RedisConnection {
  readonly status: string;
  readonly options: { host?: string; port?: number; path?: string; connectionName?: string; maxRetriesPerRequest?: number | null };
  readonly offlineQueue: Deque;
  readonly commandQueue: Deque;
}

interface CommandClass {
  checkFlag(flag: string, name: string): boolean;
}

type Method = (this: RedisConnection, ...args: unknown[]) => unknown;

/** The open wait of each command (offline or blocked), by command object. */
const waits = new WeakMap<Command, TrackedWait>();
const kindOf = new WeakMap<TrackedWait, { blocked: string | undefined; timeoutMs: number | undefined }>();

function address(redis: RedisConnection): string {
  const o = redis.options;
  return o.path ? o.path : `${o.host ?? "localhost"}:${o.port ?? 6379}`;
}

function last(queue: Deque): QueueItem | undefined {
  if (queue.length === 0) return undefined;
  if (typeof queue.peekAt === "function") return queue.peekAt(queue.length - 1);
  return queue.toArray?.()[queue.length - 1];
}

function spec(context: AdapterContext, redis: RedisConnection): ResourceSpec<RedisConnection> {
  return {
    concreteType: "Redis",
    library: context.libraryText,
    name: redis.options.connectionName || address(redis),
    read: (r): LibraryState => ({ pending: r.offlineQueue.length, extra: { "insight.state": r.status } }),
    reason: (resource, wait) => {
      const r = resource.target!;
      const kind = kindOf.get(wait);
      if (kind?.blocked !== undefined) {
        const until = kind.timeoutMs ? `up to ${kind.timeoutMs} ms` : "with no timeout";
        return `blocked in ${kind.blocked} on the server until data arrives, ${until} (redis ${address(r)})`;
      }
      const retries = r.options.maxRetriesPerRequest;
      const fails = typeof retries === "number" ? `; fails after ${retries} reconnect attempts (maxRetriesPerRequest)` : "";
      return `queued while disconnected (redis ${address(r)})${fails}`;
    },
  };
}

/** Ends the command's wait when ioredis settles it, by wrapping its own resolve/reject (once). */
function endOnSettle(command: Command): void {
  for (const key of ["resolve", "reject"] as const) {
    const original = command[key];
    if (typeof original !== "function") continue;
    command[key] = function settle(this: unknown, value: unknown) {
      waits.get(command)?.end();
      waits.delete(command);
      return original.call(this, value);
    };
  }
}

function patch(exports: unknown, context: AdapterContext): void {
  const lib = exports as { Redis?: unknown; Command?: unknown; prototype?: unknown };
  const Redis = (typeof lib.Redis === "function" ? lib.Redis : exports) as (Function & { prototype: Record<string, unknown> }) | undefined;
  const Command = lib.Command as CommandClass | undefined;
  if (typeof Redis !== "function" || typeof Redis.prototype.sendCommand !== "function") throw new Error("ioredis exports no Redis class with sendCommand");
  if (Command === undefined || typeof Command.checkFlag !== "function") throw new Error("ioredis exports no Command.checkFlag");
  const blocking = (name: string) => Command.checkFlag("BLOCKING_COMMANDS", name);

  wrapMethod<Method>(
    Redis.prototype,
    "sendCommand",
    (original) =>
      function sendCommand(this: RedisConnection, ...args: unknown[]) {
        if (!context.on()) return original.apply(this, args);
        const command = args[0] as Command | undefined;
        const before = context.safely(() => ({ offline: this.offlineQueue.length, written: this.commandQueue.length }), undefined);
        const result = original.apply(this, args);
        if (before === undefined || command === undefined || typeof command !== "object") return result;
        context.safely(() => {
          const earlier = waits.get(command);
          const queuedOffline = this.offlineQueue.length > before.offline && last(this.offlineQueue)?.command === command;
          // ioredis re-sends an offline command through here once ready: its offline wait is over.
          if (earlier !== undefined && !queuedOffline) {
            earlier.end();
            waits.delete(command);
          }
          const written = this.commandQueue.length > before.written && last(this.commandQueue)?.command === command;
          const blockedIn = written && blocking(command.name) ? command.name.toUpperCase() : undefined;
          if (!(queuedOffline && earlier === undefined) && blockedIn === undefined) return;
          // XREAD without BLOCK does not block (null from ioredis's parser).
          const timeout = blockedIn !== undefined ? command.extractBlockingTimeout?.() : undefined;
          if (blockedIn !== undefined && timeout === null) return;
          const resource = track(this, () => spec(context, this), sendCommand);
          if (resource === undefined) return;
          if (command.promise instanceof Promise) claim(command.promise);
          if (result instanceof Promise && result !== command.promise) claim(result);
          const timeoutMs = typeof timeout === "number" && timeout > 0 ? timeout : undefined;
          const wait = resource.wait(undefined, {
            source: "Redis::command",
            below: sendCommand,
            extra: { "insight.command": command.name.toUpperCase(), ...(timeoutMs !== undefined ? { "insight.timeout_ms": timeoutMs } : {}) },
          });
          if (wait === undefined) return;
          kindOf.set(wait, { blocked: blockedIn, timeoutMs });
          waits.set(command, wait);
          if (earlier === undefined) endOnSettle(command);
          // The reason was computed before kindOf knew the wait: compute it again at the next publish.
          resource.changed();
        });
        return result;
      },
  );
}

export const ioredisAdapter: AdapterDefinition = {
  packageName: "ioredis",
  versions: { from: "6.0.0", below: "7.0.0" },
  formats: ["cjs"],
  patch,
};
