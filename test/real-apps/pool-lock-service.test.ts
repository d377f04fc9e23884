/**
 * Issue 14 on an ordinary service (pool-lock-service.mjs): generic-pool and
 * async-mutex, not async-insight/sync, with insight added by `init()` or by
 * `node --import async-insight/register`. Three transfers deadlock on a pool of 2,
 * a rebuild holds the index lock while waiting for the pool, two reports wait
 * for that lock, and every client gives up after 1 s. `consolation dump --json`
 * (the built CLI: run `npx tsc -b` first) must show each hung request with its
 * await site in the service (exact lines), what it awaits (a promise created
 * inside generic-pool or async-mutex, at their lines), and the handlers must
 * stay visible after the clients are gone.
 *
 * A console looks once before the requests arrive: awaits of plain promises
 * are noted only while someone looks (docs/model.md, "Awaits of any promise").
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { delay, waitFor } from "../support/wait-for.js";

const SERVICE = fileURLToPath(new URL("./pool-lock-service.mjs", import.meta.url));
const require = createRequire(import.meta.url);

/** The 1-based line of `text` in `file` (exactly one). */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line with ${text} in ${file}, found ${found.length}`);
  return found[0]!;
}

const awaitLine = (marker: string) => lineOf(SERVICE, `// await: ${marker}`);
const sourceText = (line: number) => readFileSync(SERVICE, "utf8").split("\n")[line - 1]!.trim();
const DEFERRED = join(dirname(require.resolve("generic-pool/package.json")), "lib/Deferred.js");
const MUTEX = join(dirname(require.resolve("async-mutex/package.json")), "index.mjs");
const poolPromise = `${DEFERRED}:${lineOf(DEFERRED, "this._promise = new Promise(")}`;
/** The Semaphore's runExclusive is an `__awaiter$2` (tslib's helper, inlined): its promise is made two lines below. */
function awaiterLine(): number {
  const line = lineOf(MUTEX, "var __awaiter$2 = ") + 2;
  if (!readFileSync(MUTEX, "utf8").split("\n")[line - 1]!.includes("new (P || (P = Promise))")) throw new Error("async-mutex's __awaiter$2 changed shape");
  return line;
}
const mutexPromise = `${MUTEX}:${awaiterLine()}`;

interface DumpOp {
  source: string;
  taskId: string;
  pending: boolean;
  location?: string;
  attributes: Record<string, { value: unknown }>;
}
interface DumpTask {
  id: string;
  name: string;
  kind: string;
  state: string;
}
interface Dump {
  tasks: DumpTask[];
  asyncOps: DumpOp[];
}

let service: ChildProcess | undefined;

afterEach(() => {
  service?.kill();
  service = undefined;
});

async function startService(args: string[], env: Record<string, string>): Promise<{ http: number; console: number }> {
  const child = spawn(process.execPath, [...args, SERVICE], {
    cwd: dirname(SERVICE),
    env: { ...process.env, INSIGHT_BIND: "127.0.0.1:0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  service = child;
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  return JSON.parse(String(line)) as { http: number; console: number };
}

/** A client that gives up after 1 s (`curl -m 1`); resolves once it has. */
function impatientRequest(port: number, method: string, path: string): Promise<string> {
  return new Promise((resolve) => {
    const request = http.request({ host: "127.0.0.1", port, method, path }, (response) => {
      response.resume();
      response.on("end", () => resolve(`answered ${response.statusCode}`));
    });
    request.setTimeout(1000, () => request.destroy());
    request.on("error", () => resolve("gave up"));
    request.end();
  });
}

async function dump(port: number): Promise<Dump> {
  const result = await runCli(["dump", "--json", `127.0.0.1:${port}`]);
  if (result.code !== 0) throw new Error(`dump failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as Dump;
}

/** Each request task with its pending awaits: [name, state, line of the await, awaited promise's location without column]. */
function hungRequests(state: Dump) {
  return state.tasks
    .filter((t) => t.kind === "request")
    .map((t) => ({
      task: t,
      ops: state.asyncOps.filter((op) => op.taskId === t.id && op.pending),
    }));
}

function opLine(op: DumpOp): number {
  const match = /^(.*):(\d+):\d+$/.exec(op.location ?? "");
  if (match?.[1] !== SERVICE) throw new Error(`await site ${op.location} is not in the service`);
  return Number(match[2]);
}

const awaited = (op: DumpOp) => /a promise created at (.*):\d+$/.exec(String(op.attributes["insight.reason"]?.value))?.[1];

describe.each([
  ["init()", [], { SERVICE_INIT: "1" }],
  ["--import async-insight/register", ["--import", "async-insight/register"], {}],
] as const)("a service with insight started by %s", (_how, args, env) => {
  it("shows every hung request's await site and what it awaits, and keeps the orphaned handlers", async () => {
    const ports = await startService([...args], env);
    // Someone looks before the hang (the await tracker arms while a console looks).
    expect((await dump(ports.console)).tasks.filter((t) => t.kind === "request")).toEqual([]);

    const clients = [impatientRequest(ports.http, "POST", "/transfer"), impatientRequest(ports.http, "POST", "/transfer"), impatientRequest(ports.http, "POST", "/transfer")];
    const first = awaitLine("first connection");
    const second = awaitLine("second connection");
    await waitFor(async () => {
      const lines = hungRequests(await dump(ports.console)).flatMap((r) => r.ops.map(opLine));
      return lines.sort().join() === [first, second, second].sort().join();
    }, { timeoutMs: 20_000, description: "three transfers deadlocked on the pool" });
    clients.push(impatientRequest(ports.http, "POST", "/rebuild"));
    await waitFor(async () => hungRequests(await dump(ports.console)).some((r) => r.task.name === "POST /rebuild" && r.ops.length === 1), { timeoutMs: 20_000, description: "the rebuild holding the lock" });
    clients.push(impatientRequest(ports.http, "GET", "/report"), impatientRequest(ports.http, "GET", "/report"));

    // Every client gives up after 1 s.
    expect(await Promise.all(clients)).toEqual(["gave up", "gave up", "gave up", "gave up", "gave up", "gave up"]);
    const state = await waitFor(async () => {
      const s = await dump(ports.console);
      return hungRequests(s).filter((r) => r.ops.some((op) => op.attributes["insight.client_gone"]?.value === true)).length === 6 && s;
    }, { timeoutMs: 20_000, description: "six orphaned handlers" });

    const expected = [
      ["POST /transfer", first, poolPromise],
      ["POST /transfer", second, poolPromise],
      ["POST /transfer", second, poolPromise],
      ["POST /rebuild", awaitLine("rebuild connection"), poolPromise],
      ["GET /report", awaitLine("index lock (report)"), mutexPromise],
      ["GET /report", awaitLine("index lock (report)"), mutexPromise],
    ].map(([name, line, promise]) => `${name} blocked ${line} ${promise}`);
    const seen = hungRequests(state).map(({ task, ops }) => {
      expect(ops).toHaveLength(1);
      const op = ops[0]!;
      expect(op.source).toBe("Promise::await");
      const line = opLine(op);
      expect(op.attributes["insight.await_line"]?.value).toBe(sourceText(line));
      const column = op.location!.split(":").pop();
      expect(String(op.attributes["insight.reason"]?.value)).toMatch(new RegExp(`^client gone, handler still waiting at pool-lock-service\\.mjs:${line}:${column}: waiting for a promise created at `));
      return `${task.name} ${task.state} ${line} ${awaited(op)}`;
    });
    expect(seen.sort()).toEqual(expected.sort());

    // Still there once the clients are long gone (and after a GC proof could have run).
    await delay(4000);
    const later = hungRequests(await dump(ports.console));
    expect(later.map(({ task, ops }) => `${task.name} ${task.state} ${ops.length}`).sort()).toEqual(
      ["GET /report", "GET /report", "POST /rebuild", "POST /transfer", "POST /transfer", "POST /transfer"].map((name) => `${name} blocked 1`),
    );
  }, 90_000);
});
