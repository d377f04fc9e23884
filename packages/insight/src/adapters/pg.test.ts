/**
 * The pg adapter against a real PostgreSQL (started by the test on a free
 * port, scripts/lib/servers.mjs): pool checkout waits with their holders,
 * the nested-acquire deadlock shape, connectionTimeoutMillis, and a query
 * queued on a busy Client. The app code lives in test-fixtures/pg-waits.mjs
 * so the await sites are lines of that file.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, afterEach, expect, it } from "vitest";
import { startPostgres, type PostgresServer } from "../../../../scripts/lib/servers.mjs";
import { loadSource, resolveSite } from "../private/callsite.js";
import { resolveOptions } from "../private/config.js";
import { markerLines, until } from "../testing/in-process.js";
import type { OpRecord, LiveResource } from "../private/records.js";
import { installRuntime, Runtime } from "../private/runtime.js";
import { WireBuilder } from "../private/wire.js";
import { spawn } from "../spawn.js";
import { AdapterContext, AdapterState } from "./patching.js";
import { pgAdapter } from "./pg.js";

const fixture = fileURLToPath(new URL("../../test-fixtures/pg-waits.cjs", import.meta.url));
const lineOf = markerLines(fixture);
const fixtureLines = readFileSync(fixture, "utf8").split("\n");
const require = createRequire(import.meta.url);
type Task<T = unknown> = Promise<T> & { readonly id: number };
type Spawn = typeof spawn;
/** The app code (see test-fixtures/pg-waits.cjs). */
const app = require(fixture) as {
  holdClient(spawn: Spawn, pool: pg.Pool, name: string, until: Promise<void>, onHeld: (client: pg.PoolClient) => void): Task;
  waitForClient(spawn: Spawn, pool: pg.Pool, name: string): Task<string>;
  poolQuery(spawn: Spawn, pool: pg.Pool, name: string, sql: string): Task<unknown[]>;
  nestedRequest(spawn: Spawn, pool: pg.Pool, name: string, stop: Promise<void>): Task<unknown>;
  queuedQuery(spawn: Spawn, client: pg.Client, name: string): Task<unknown[]>;
};
const pgRoot = dirname(require.resolve("pg/package.json"));
const pgVersion = (JSON.parse(readFileSync(`${pgRoot}/package.json`, "utf8")) as { version: string }).version;

let server: PostgresServer;
let rt: Runtime;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  server = await startPostgres();
  const state = new AdapterState(pgAdapter);
  pgAdapter.patch(pg, new AdapterContext(state, { packageName: "pg", version: pgVersion, root: pgRoot, format: "cjs" }));
  await loadSource(fixture);
});

afterAll(async () => {
  // Let ended pools close their sockets before the server goes (pg-pool's end() resolves first).
  await Promise.all(ending.splice(0));
  await server?.stop();
});

const ending: Promise<unknown>[] = [];

beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
});

afterEach(() => {
  installRuntime(undefined);
  // Not awaited: a failed test may leave clients checked out, and end() waits for them.
  for (const pool of pools.splice(0)) {
    ending.push(Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000))]));
  }
});

function newPool(options: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ connectionString: server.url, ...options });
  // Idle clients cut off when the server stops at the end must not crash the test process.
  pool.on("error", () => undefined);
  pools.push(pool);
  return pool;
}

/** Polls (a few ms at a time) until `check` returns a value. */
const pendingOps = (source: string) => [...rt.ops.values()].filter((op) => op.source === source && op.droppedAt < 0);

function resourceOf(type: string): LiveResource {
  const found = [...rt.resources.values()].filter((r) => r.concreteType === type);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function attributes(resource: LiveResource) {
  return resource.target.deref()!.describe();
}

function owners(resource: LiveResource): string[] {
  return String(attributes(resource)["insight.owners"]).split(",").filter(Boolean).sort();
}

function site(op: OpRecord) {
  const at = resolveSite(op.site);
  const stats = new WireBuilder(rt).opStats(op);
  const awaitLine = stats.attributes.find((a) => a.field.name.value === "insight.await_line")?.field.value.value;
  return { file: at?.file, line: at?.line, awaitLine };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

it("a pool of 2 with both clients checked out: the third connect waits, naming both holders, until one is released", async () => {
  const pool = newPool({ max: 2 });
  const releaseA = deferred();
  const releaseB = deferred();
  let held = 0;
  const a = app.holdClient(spawn, pool, "holder-a", releaseA.promise, () => held++);
  await until(rt, "holder-a's client", () => (held === 1 ? true : undefined));
  const b = app.holdClient(spawn, pool, "holder-b", releaseB.promise, () => held++);
  await until(rt, "holder-b's client", () => (held === 2 ? true : undefined));
  // Checking out with capacity to spare is no wait.
  expect(pendingOps("Pool::connect")).toEqual([]);

  const waiter = app.waitForClient(spawn, pool, "waiter");
  const [op] = await until(rt, "the waiting connect", () => (pendingOps("Pool::connect").length === 1 ? pendingOps("Pool::connect") : undefined));
  const resource = resourceOf("Pool");
  expect(op!.resource).toBe(resource);
  expect(op!.task?.taskId).toBe(waiter.id);
  expect(op!.reason).toBe(`waiting for a pool connection: 2/2 checked out by tasks ${a.id}, ${b.id}`);
  expect(site(op!)).toEqual({ file: fixture, line: lineOf("marker: waiting connect"), awaitLine: fixtureLines[lineOf("marker: waiting connect") - 1]!.trim() });
  expect(resource.name).toBe(`postgres@127.0.0.1:${server.port}`);
  expect(owners(resource)).toEqual([`holder:${a.id}`, `holder:${b.id}`].sort());
  expect(attributes(resource)).toMatchObject({
    "insight.library": `pg@${pgVersion}`,
    "insight.capacity": 2,
    "insight.in_use": 2,
    "insight.pending": 1,
    "insight.timeout_ms": undefined,
  });

  releaseA.resolve();
  expect(await waiter).toBe("served");
  expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
  expect(op!.wokenBy).toBe(a.id);
  await a;
  // holder-a gave its client back, the waiter took it and gave it back too.
  expect(owners(resource)).toEqual([`holder:${b.id}`]);
  releaseB.resolve();
  await b;
  expect(owners(resource)).toEqual([]);
  expect(attributes(resource)).toMatchObject({ "insight.in_use": 0, "insight.pending": 0 });
});

it("nested acquire: each of 2 requests holds a client and asks the pool for another; both wait on it, both are holders", async () => {
  const pool = newPool({ max: 2 });
  const stop = deferred();
  const one = app.nestedRequest(spawn, pool, "request-1", stop.promise);
  const two = app.nestedRequest(spawn, pool, "request-2", stop.promise);
  const ops = await until(rt, "both nested connects waiting", () => (pendingOps("Pool::connect").length === 2 ? pendingOps("Pool::connect") : undefined));
  const resource = resourceOf("Pool");
  expect(owners(resource)).toEqual([`holder:${one.id}`, `holder:${two.id}`].sort());
  expect(ops.map((op) => op.task?.taskId).sort()).toEqual([one.id, two.id].sort());
  const line = lineOf("marker: nested acquire");
  for (const op of ops) {
    expect(op.resource).toBe(resource);
    // Holders are listed in the order they checked out, which the two requests race for.
    const holders = resource.target.deref() === undefined ? [] : owners(resource).map((o) => o.split(":")[1]);
    expect(holders.sort()).toEqual([String(one.id), String(two.id)].sort());
    expect([
      `waiting for a pool connection: 2/2 checked out by tasks ${one.id}, ${two.id}`,
      `waiting for a pool connection: 2/2 checked out by tasks ${two.id}, ${one.id}`,
    ]).toContain(op.reason);
    expect(site(op)).toMatchObject({ file: fixture, line });
  }
  expect(attributes(resource)).toMatchObject({ "insight.capacity": 2, "insight.in_use": 2, "insight.pending": 2, "insight.timeout_ms": undefined });
  // pool.query's own promise is not reported again as an await on "a promise created in node_modules".
  expect([...rt.ops.values()].filter((op) => op.task?.taskId === one.id && op.droppedAt < 0).map((op) => op.source)).toEqual(["Pool::connect"]);

  stop.resolve();
  expect(await one).toBe("stopped");
  expect(await two).toBe("stopped");
  // Each release served a waiting pool.query, which ran and released in turn.
  await until(rt, "pool drained", () => (pool.waitingCount === 0 && pool.idleCount === pool.totalCount ? true : undefined));
  expect(ops.every((op) => op.droppedAt >= 0)).toBe(true);
  expect(owners(resource)).toEqual([]);
});

it("connectionTimeoutMillis: published as insight.timeout_ms and said in the reason; a wait that times out ends with pg's error", async () => {
  const pool = newPool({ max: 1, connectionTimeoutMillis: 60_000 });
  const release = deferred();
  let held = 0;
  const holder = app.holdClient(spawn, pool, "holder", release.promise, () => held++);
  await until(rt, "the client checked out", () => (held === 1 ? true : undefined));
  const waiter = app.waitForClient(spawn, pool, "waiter");
  const [op] = await until(rt, "the waiting connect", () => (pendingOps("Pool::connect").length === 1 ? pendingOps("Pool::connect") : undefined));
  expect(op!.reason).toBe(`waiting for a pool connection: 1/1 checked out by task ${holder.id}; fails after 60000 ms (connectionTimeoutMillis)`);
  expect(attributes(op!.resource)).toMatchObject({ "insight.timeout_ms": 60_000, "insight.capacity": 1 });
  release.resolve();
  expect(await waiter).toBe("served");
  expect(op!.droppedAt).toBeGreaterThanOrEqual(0);

  // A short timeout really firing, through pool.query (pg-pool's callback path).
  const quick = newPool({ max: 1, connectionTimeoutMillis: 50 });
  const hold = deferred();
  held = 0;
  const quickHolder = app.holdClient(spawn, quick, "quick-holder", hold.promise, () => held++);
  await until(rt, "the client checked out", () => (held === 1 ? true : undefined));
  const timedOut = app.poolQuery(spawn, quick, "times-out", "SELECT 1");
  const [quickOp] = await until(rt, "the waiting pool.query", () => {
    const ops = pendingOps("Pool::connect").filter((o) => o.task?.taskId === timedOut.id);
    return ops.length === 1 ? ops : undefined;
  });
  expect(site(quickOp!)).toMatchObject({ file: fixture, line: lineOf("marker: pool.query") });
  await expect(timedOut).rejects.toThrow("timeout exceeded when trying to connect");
  expect(quickOp!.droppedAt).toBeGreaterThanOrEqual(0);
  hold.resolve();
  await quickHolder;
  expect(owners(quickOp!.resource)).toEqual([]);
});

it("a query issued while the client runs another waits in the client's queue as Client::query", async () => {
  const blocker = new pg.Client({ connectionString: server.url });
  const client = new pg.Client({ connectionString: server.url });
  await blocker.connect();
  await client.connect();
  try {
    // The running query: an advisory lock the blocker session holds, so it runs until the test says.
    await blocker.query("SELECT pg_advisory_lock(4242)");
    const running = client.query("SELECT pg_advisory_lock(4242) AS locked");
    const queued = app.queuedQuery(spawn, client, "queued");
    const [op] = await until(rt, "the queued query", () => (pendingOps("Client::query").length === 1 ? pendingOps("Client::query") : undefined));
    expect(op!.task?.taskId).toBe(queued.id);
    expect(op!.resource.concreteType).toBe("Client");
    expect(op!.resource.name).toBe(`postgres@127.0.0.1:${server.port}`);
    expect(op!.reason).toBe(`query queued behind the running query on the connection to postgres@127.0.0.1:${server.port}`);
    expect(site(op!)).toMatchObject({ file: fixture, line: lineOf("marker: queued query") });
    expect(attributes(op!.resource)).toMatchObject({ "insight.library": `pg@${pgVersion}`, "insight.in_use": 1, "insight.pending": 1, "insight.owners": "" });
    await blocker.query("SELECT pg_advisory_unlock(4242)");
    await running;
    expect(await queued).toEqual([{ turn: "after" }]);
    expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
  } finally {
    await client.end();
    await blocker.end();
  }
});
