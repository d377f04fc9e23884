/**
 * The undici adapter with a real HTTP server that answers only when the test
 * says: a Pool with one connection whose request hangs makes the next request
 * wait for the connection (Pool::dispatch); the same through an Agent with
 * one connection per origin (Agent::dispatch), with request() and fetch().
 * App code: test-fixtures/undici-waits.cjs.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { loadSource, resolveSite } from "../private/callsite.js";
import { resolveOptions } from "../private/config.js";
import { markerLines, until } from "../testing/in-process.js";
import type { OpRecord } from "../private/records.js";
import { installRuntime, Runtime } from "../private/runtime.js";
import { spawn } from "../spawn.js";
import { AdapterContext, AdapterState } from "./patching.js";
import { undiciAdapter } from "./undici.js";

const fixture = fileURLToPath(new URL("../../test-fixtures/undici-waits.cjs", import.meta.url));
const lineOf = markerLines(fixture);
const require = createRequire(import.meta.url);
const root = dirname(require.resolve("undici/package.json"));
const version = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { version: string }).version;
// The package's main module (CJS), as the loader hands it to the adapter.
const undici = require("undici") as typeof import("undici");
type Task<T = unknown> = Promise<T> & { readonly id: number };
const app = require(fixture) as {
  getThroughPool(s: typeof spawn, pool: import("undici").Pool, name: string, path: string): Task<string>;
  getThroughAgent(s: typeof spawn, u: typeof undici, agent: import("undici").Agent, name: string, url: string): Task<string>;
  fetchThroughAgent(s: typeof spawn, u: typeof undici, agent: import("undici").Agent, name: string, url: string): Task<string>;
};

/** Requests the server holds, answered when the test says. */
const held: http.ServerResponse[] = [];
let server: http.Server;
let origin: string;
let rt: Runtime;

beforeAll(async () => {
  undiciAdapter.patch(undici, new AdapterContext(new AdapterState(undiciAdapter), { packageName: "undici", version, root, format: "cjs" }));
  server = http.createServer((request, response) => {
    response.setHeader("x-path", request.url ?? "");
    held.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await loadSource(fixture);
});

afterAll(async () => {
  for (const response of held.splice(0)) response.end();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
});
afterEach(() => installRuntime(undefined));

const waitsOf = (task: number) => [...rt.ops.values()].filter((op) => op.droppedAt < 0 && op.task?.taskId === task);

function answer(path: string, body: string): void {
  const index = held.findIndex((r) => r.getHeader("x-path") === path);
  expect(index, `a held request for ${path}`).toBeGreaterThanOrEqual(0);
  held.splice(index, 1)[0]!.end(body);
}

function line(op: OpRecord): number | undefined {
  return resolveSite(op.site)?.line;
}

it("Pool with one connection: a request behind a hanging one waits for the connection until it is free", async () => {
  const pool = new undici.Pool(origin, { connections: 1 });
  try {
    const first = app.getThroughPool(spawn, pool, "first", "/slow");
    await until(rt, "the first request at the server", () => (held.length === 1 ? true : undefined));
    // The first request had the connection to itself: no wait.
    expect(waitsOf(first.id)).toEqual([]);
    const second = app.getThroughPool(spawn, pool, "second", "/next");
    const [op] = await until(rt, "the queued request", () => (waitsOf(second.id).length === 1 ? waitsOf(second.id) : undefined));
    expect(op!.source).toBe("Pool::dispatch");
    expect(op!.reason).toBe(`waiting for a connection to ${origin}: 1/1 connections busy (1 request running)`);
    expect(line(op!)).toBe(lineOf("marker: pool request"));
    expect(op!.resource.concreteType).toBe("Pool");
    expect(op!.resource.name).toBe(origin);
    expect(op!.resource.target.deref()!.describe()).toMatchObject({
      "insight.library": `undici@${version}`,
      "insight.capacity": 1,
      "insight.in_use": 1,
      "insight.pending": 1,
      "insight.owners": "",
    });
    answer("/slow", "slow done");
    expect(await first).toBe("slow done");
    await until(rt, "the second request at the server", () => (held.length === 1 ? true : undefined));
    expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
    answer("/next", "next done");
    expect(await second).toBe("next done");
  } finally {
    await pool.close();
  }
});

it("Agent with one connection per origin: request() and fetch() behind a hanging request wait as Agent::dispatch", async () => {
  const agent = new undici.Agent({ connections: 1 });
  try {
    const first = app.getThroughAgent(spawn, undici, agent, "first", `${origin}/hang`);
    await until(rt, "the first request at the server", () => (held.length === 1 ? true : undefined));
    expect(waitsOf(first.id)).toEqual([]);
    const viaRequest = app.getThroughAgent(spawn, undici, agent, "via-request", `${origin}/second`);
    const viaFetch = app.fetchThroughAgent(spawn, undici, agent, "via-fetch", `${origin}/third`);
    const [requestOp] = await until(rt, "the queued request()", () => (waitsOf(viaRequest.id).length === 1 ? waitsOf(viaRequest.id) : undefined));
    const [fetchOp] = await until(rt, "the queued fetch()", () => (waitsOf(viaFetch.id).length === 1 ? waitsOf(viaFetch.id) : undefined));
    for (const op of [requestOp!, fetchOp!]) {
      expect(op.source).toBe("Agent::dispatch");
      expect(op.resource.concreteType).toBe("Agent");
      expect(op.resource.name).toBe(origin);
      expect(op.reason).toBe(`waiting for a connection to ${origin}: 1/1 connections busy (1 request running)`);
    }
    expect(requestOp!.resource).toBe(fetchOp!.resource);
    expect(line(requestOp!)).toBe(lineOf("marker: agent request"));
    // fetch() awaits inside undici before it dispatches: the site is the first frame in app code.
    expect(resolveSite(fetchOp!.site)?.file).toBe(fixture);
    answer("/hang", "one");
    expect(await first).toBe("one");
    await until(rt, "the second request at the server", () => (held.length === 1 ? true : undefined));
    expect(requestOp!.droppedAt).toBeGreaterThanOrEqual(0);
    answer("/second", "two");
    expect(await viaRequest).toBe("two");
    await until(rt, "the fetch at the server", () => (held.length === 1 ? true : undefined));
    expect(fetchOp!.droppedAt).toBeGreaterThanOrEqual(0);
    answer("/third", "three");
    expect(await viaFetch).toBe("three");
  } finally {
    await agent.close();
  }
});

it("Node's global fetch goes through an undici Agent the app made the global dispatcher, and is seen there", async () => {
  const agent = new undici.Agent({ connections: 1 });
  const previous = undici.getGlobalDispatcher();
  undici.setGlobalDispatcher(agent);
  try {
    const first = spawn("global-first", async () => (await fetch(`${origin}/global-hang`)).text());
    await until(rt, "the first fetch at the server", () => (held.length === 1 ? true : undefined));
    const second = spawn("global-second", async () => (await fetch(`${origin}/global-next`)).text());
    const [op] = await until(rt, "the queued global fetch", () => (waitsOf(second.id).length === 1 ? waitsOf(second.id) : undefined));
    expect(op!.source).toBe("Agent::dispatch");
    expect(op!.reason).toBe(`waiting for a connection to ${origin}: 1/1 connections busy (1 request running)`);
    answer("/global-hang", "g1");
    expect(await first).toBe("g1");
    await until(rt, "the second fetch at the server", () => (held.length === 1 ? true : undefined));
    expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
    answer("/global-next", "g2");
    expect(await second).toBe("g2");
  } finally {
    undici.setGlobalDispatcher(previous);
    await agent.close();
  }
});
