/**
 * The ioredis adapter against a real redis-server (started by the test on a
 * free port): commands queued while the server is down, and a BLPOP blocked
 * on an empty list. App code: test-fixtures/redis-waits.cjs.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as ioredis from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { startRedis, type RedisServer } from "../../../../scripts/lib/servers.mjs";
import { loadSource, resolveSite } from "../private/callsite.js";
import { resolveOptions } from "../private/config.js";
import { markerLines, until } from "../testing/in-process.js";
import type { OpRecord } from "../private/records.js";
import { installRuntime, Runtime } from "../private/runtime.js";
import { spawn } from "../spawn.js";
import { ioredisAdapter } from "./ioredis.js";
import { AdapterContext, AdapterState } from "./patching.js";

const { Redis } = ioredis;
const fixture = fileURLToPath(new URL("../../test-fixtures/redis-waits.cjs", import.meta.url));
const lineOf = markerLines(fixture);
const require = createRequire(import.meta.url);
const root = dirname(require.resolve("ioredis/package.json"));
const version = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { version: string }).version;
type Task<T = unknown> = Promise<T> & { readonly id: number };
const app = require(fixture) as {
  getWhileDown(s: typeof spawn, redis: InstanceType<typeof Redis>, name: string, key: string): Task<string | null>;
  popJob(s: typeof spawn, redis: InstanceType<typeof Redis>, name: string, list: string, timeoutSeconds: number): Task<[string, string] | null>;
};

let server: RedisServer;
let rt: Runtime;
const clients: InstanceType<typeof Redis>[] = [];

beforeAll(async () => {
  server = await startRedis();
  // The package's main module (CJS), as the loader hands it to the adapter.
  ioredisAdapter.patch(require("ioredis"), new AdapterContext(new AdapterState(ioredisAdapter), { packageName: "ioredis", version, root, format: "cjs" }));
  await loadSource(fixture);
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await server?.stop();
});

beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
});
afterEach(() => installRuntime(undefined));

function connect(options: ioredis.RedisOptions = {}) {
  const client = new Redis({ host: server.host, port: server.port, retryStrategy: () => 50, ...options });
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

const open = (task: number) => [...rt.ops.values()].filter((op) => op.source === "Redis::command" && op.droppedAt < 0 && op.task?.taskId === task);

function line(op: OpRecord): number | undefined {
  return resolveSite(op.site)?.line;
}

it("commands issued while the server is down wait in ioredis's offline queue until it is back", async () => {
  const redis = connect({ maxRetriesPerRequest: null });
  // Commands issued while it connects are queued too (a real, short wait): start once it is ready.
  await until(rt, "the connection ready", () => (redis.status === "ready" ? true : undefined));
  await redis.set("greeting", "hello");
  // Answered at once: no wait.
  expect(await redis.get("greeting")).toBe("hello");
  expect([...rt.ops.values()].filter((op) => op.source === "Redis::command")).toEqual([]);

  const port = server.port;
  await server.stop();
  await until(rt, "the connection noticing", () => (redis.status !== "ready" ? true : undefined));
  const reader = app.getWhileDown(spawn, redis, "reader", "greeting");
  const [op] = await until(rt, "the queued GET", () => (open(reader.id).length === 1 ? open(reader.id) : undefined));
  expect(op!.reason).toBe(`queued while disconnected (redis 127.0.0.1:${port})`);
  expect(op!.extra).toEqual({ "insight.command": "GET" });
  expect(line(op!)).toBe(lineOf("marker: offline get"));
  expect(op!.resource.concreteType).toBe("Redis");
  expect(op!.resource.name).toBe(`127.0.0.1:${port}`);
  expect(op!.resource.target.deref()!.describe()).toMatchObject({ "insight.library": `ioredis@${version}`, "insight.pending": 1, "insight.owners": "" });

  // Back on the same port, empty (no persistence): the queued GET runs and answers null.
  server = await startRedis({ port });
  expect(await reader).toBe(null);
  expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
});

it("with maxRetriesPerRequest the reason says the queued command fails by itself", async () => {
  const redis = connect({ maxRetriesPerRequest: 3, lazyConnect: true, port: 1 });
  const reader = app.getWhileDown(spawn, redis, "doomed", "k");
  const [op] = await until(rt, "the queued GET", () => (open(reader.id).length === 1 ? open(reader.id) : undefined));
  expect(op!.reason).toBe("queued while disconnected (redis 127.0.0.1:1); fails after 3 reconnect attempts (maxRetriesPerRequest)");
  await expect(reader).rejects.toThrow("Reached the max retries per request limit");
  expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
  redis.disconnect();
});

it("BLPOP on an empty list blocks on the server until another client pushes", async () => {
  const worker = connect();
  const producer = connect();
  // Both connections ready first: a command sent while one still connects waits in the offline queue instead.
  await Promise.all([worker.del("jobs", "later"), producer.ping()]);
  const popper = app.popJob(spawn, worker, "worker", "jobs", 0);
  const [op] = await until(rt, "the blocked BLPOP", () => (open(popper.id).length === 1 ? open(popper.id) : undefined));
  expect(op!.reason).toBe(`blocked in BLPOP on the server until data arrives, with no timeout (redis 127.0.0.1:${server.port})`);
  expect(op!.extra).toEqual({ "insight.command": "BLPOP" });
  expect(line(op!)).toBe(lineOf("marker: blpop"));

  const timed = app.popJob(spawn, producer, "timed-worker", "later", 30);
  const [timedOp] = await until(rt, "the BLPOP with a timeout", () => (open(timed.id).length === 1 ? open(timed.id) : undefined));
  expect(timedOp!.reason).toBe(`blocked in BLPOP on the server until data arrives, up to 30000 ms (redis 127.0.0.1:${server.port})`);
  expect(timedOp!.extra).toEqual({ "insight.command": "BLPOP", "insight.timeout_ms": 30_000 });

  const pusher = connect();
  await pusher.rpush("jobs", "job-1");
  expect(await popper).toEqual(["jobs", "job-1"]);
  expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
  await pusher.rpush("later", "job-2");
  expect(await timed).toEqual(["later", "job-2"]);
  expect(timedOp!.droppedAt).toBeGreaterThanOrEqual(0);
});
