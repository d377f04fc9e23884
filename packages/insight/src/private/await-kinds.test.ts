/**
 * What a task awaits, for each kind of wait Node can name (issue 14 item 2):
 * real timers, sockets, a child process, a worker, a FIFO, a DNS server that
 * never answers. Each wait must come out as an async op at the exact await
 * line of the fixture, with that line's text, on a resource whose
 * concrete_type and `insight.awaited` say what it is.
 */
import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AwaitTracker } from "./await-tracker.js";
import { loadSource, resolveSite } from "./callsite.js";
import { resolveOptions } from "./config.js";
import type { OpRecord } from "./records.js";
import { installRuntime, Runtime } from "./runtime.js";
import { spawn } from "../spawn.js";
import { WireBuilder } from "./wire.js";

const fixture = fileURLToPath(new URL("../../test-fixtures/await-kinds.cjs", import.meta.url));
const fixtureText = readFileSync(fixture, "utf8").split("\n");

/** The 1-based line of the fixture holding `text` (which must occur once). */
function lineOf(text: string): number {
  const found = fixtureText.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  expect(found, text).toHaveLength(1);
  return found[0]!;
}

interface Opened {
  handles: { catch(fn: () => void): unknown }[];
  sockets: net.Socket[];
  children: { kill(): boolean }[];
  workers: { terminate(): Promise<number> }[];
  requests: http.ClientRequest[];
  resolvers: { cancel(): void }[];
}

const cleanups: (() => unknown)[] = [];
let rt: Runtime;
let opened: Opened;
let silentUrl: string;
let mutePort: number;
let openGate!: () => void;

type Waits = [type: string, awaited: string, reason: string][];
/** Every fixture await, by task: the text of its line (found once in the file), and what it should say. */
function expected(): Record<string, { text: string; waits: Waits; inner?: { text: string; waits: Waits } }> {
  const child = opened.children[0] as { pid?: number };
  const worker = opened.workers[0] as { threadId?: number };
  const timer = ["Timer", "timer", "waiting for a timer (setTimeout)"] as [string, string, string];
  const fetched = ["Fetch", "fetch", `waiting for fetch GET ${silentUrl}`] as [string, string, string];
  const promiseLine = lineOf("await new Promise((resolve) => setTimeout(");
  const made = `a promise created at ${relative(process.cwd(), fixture)}:${promiseLine}:${fixtureText[promiseLine - 1]!.indexOf("new Promise") + 1}`;
  const allSettledLine = lineOf("await Promise.allSettled(");
  const waitLine = lineOf("async function wait(ms)");
  const asyncFn = `a promise created at ${relative(process.cwd(), fixture)}:${waitLine}:${fixtureText[waitLine - 1]!.indexOf("(ms)") + 1}`;
  const never = `a promise created at ${relative(process.cwd(), fixture)}:${allSettledLine}:${fixtureText[allSettledLine - 1]!.indexOf("new Promise") + 1}`;
  return {
    "timers-promises": { text: "await sleep(60_000,", waits: [timer] },
    "promisified-timer": { text: "await delay(60_000,", waits: [timer] },
    "timer-in-promise": { text: "await new Promise((resolve) => setTimeout(", waits: [["Promise", made, `waiting for ${made}`]] },
    fetch: { text: "await fetch(targets.silentUrl);", waits: [fetched] },
    "http-request": {
      text: 'await once(request, "response");',
      waits: [["HttpRequest", "http request 'response'", `waiting for 'response' to HTTP request GET ${silentUrl}`]],
    },
    "socket-read": { text: "for await (const chunk of socket)", waits: [["Socket", "socket read", `waiting to read from socket 127.0.0.1:${mutePort}`]] },
    "stream-read": { text: "for await (const chunk of readable)", waits: [["Stream", "stream read", "waiting to read from a stream (async iteration)"]] },
    drain: { text: 'await once(socket, "drain");', waits: [["Socket", "socket 'drain'", `waiting for 'drain' on socket 127.0.0.1:${mutePort}`]] },
    child: {
      text: 'await once(child, "exit");',
      waits: [["ChildProcess", "child process 'exit'", `waiting for 'exit' from child process pid ${child.pid} (sleep)`]],
    },
    worker: { text: 'await once(worker, "message");', waits: [["Worker", "worker 'message'", `waiting for 'message' from worker thread ${worker.threadId}`]] },
    fs: { text: "await readFile(targets.fifo);", waits: [["Fs", "fs", "waiting for fs.readFile"]] },
    dns: { text: "await resolver.resolve4(", waits: [["Dns", "dns", "waiting for dns.queryA"]] },
    // `await 5` makes a wrapper that looks like an await of the function's own promise: no wait is left of it.
    "after-a-value": { text: "await sleep(55_000,", waits: [timer] },
    "then-chain": { text: "await sleep(59_000,", waits: [timer] },
    all: { text: "await Promise.all([sleep(", waits: [timer, fetched] },
    race: { text: "await Promise.race([fetch(", waits: [fetched, timer] },
    allSettled: { text: "await Promise.allSettled(", waits: [timer, fetched, ["Promise", never, `waiting for ${never}`]] },
    // An async function as an input: its own await is a wait (at its line), and so is its promise at the combinator.
    "all-async": {
      text: "await Promise.all([wait(",
      waits: [["Promise", asyncFn, `waiting for ${asyncFn}`], fetched],
      inner: { text: "await sleep(ms,", waits: [timer] },
    },
    "race-settled": {
      text: "await Promise.race([targets.gate,",
      waits: [["Promise", "a promise insight did not see made", "waiting for a promise insight did not see made"], fetched],
    },
  };
}

beforeAll(async () => {
  const silent = http.createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    silent.closeAllConnections();
    return new Promise((resolve) => silent.close(resolve));
  });
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/never`;
  const held: net.Socket[] = [];
  const mute = net.createServer((socket) => {
    // Never reads: a writer to it fills the buffers and waits for 'drain'.
    socket.pause();
    held.push(socket);
  });
  await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const socket of held) socket.destroy();
    return new Promise((resolve) => mute.close(resolve));
  });
  mutePort = (mute.address() as AddressInfo).port;
  const drop = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => drop.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => drop.close());
  const dir = mkdtempSync(join(tmpdir(), "insight-kinds-"));
  const fifo = join(dir, "never-written");
  execFileSync("mkfifo", [fifo]);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  const tracker = new AwaitTracker();
  tracker.start(() => true);
  cleanups.push(() => tracker.stop());
  // Loaded by Node itself (not the test runner's transform), so its lines are the file's.
  const fx = createRequire(import.meta.url)(fixture) as { startKinds: (spawner: typeof spawn, targets: object) => Opened };
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  opened = fx.startKinds(spawn, { silentUrl, mutePort, dropPort: (drop.address() as AddressInfo).port, fifo, gate });
  for (const handle of opened.handles) handle.catch(() => {});
  cleanups.push(async () => {
    // The FIFO's reader is blocked in open() on a thread-pool thread until a writer comes.
    closeSync(openSync(fifo, "w"));
    for (const resolver of opened.resolvers) resolver.cancel();
    for (const request of opened.requests) request.destroy();
    for (const socket of opened.sockets) socket.destroy();
    for (const child of opened.children) child.kill();
    await Promise.all(opened.workers.map((worker) => worker.terminate()));
  });
  await loadSource(fixture);
  // A socket names its peer once connected (a publish comes long after that; here the test publishes).
  for (let i = 0; i < 1500 && !opened.sockets.every((socket) => socket.remotePort !== undefined); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  // Some tasks await only after a connect or a write; and a publish comes a while after an await
  // (Node publishes a request's start on the next tick): publish until every task waits where expected.
  const want = expected();
  const ready = () => Object.entries(want).every(([task, { text }]) => waits(task).some((w) => w.at === `fixture:${lineOf(text)}`));
  for (let i = 0; i < 1500 && !ready(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    rt.settleDeferred();
  }
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  installRuntime(undefined);
});

const pending = () => [...rt.ops.values()].filter((op) => op.droppedAt < 0);

function attribute(op: OpRecord, name: string): unknown {
  const stats = new WireBuilder(rt).opStats(op);
  return stats.attributes.find((a) => a.field.name.value === name)?.field.value.value;
}

function waits(task: string) {
  return pending()
    .filter((op) => op.task?.name === task)
    .map((op) => {
      const site = resolveSite(op.site);
      return {
        source: op.source,
        type: op.resource.concreteType,
        awaited: op.resource.target.deref()?.describe()["insight.awaited"],
        at: site ? `${site.file === fixture ? "fixture" : site.file}:${site.line}` : undefined,
        line: attribute(op, "insight.await_line"),
        reason: op.reason,
      };
    });
}

const TASKS = [
  "timers-promises",
  "promisified-timer",
  "timer-in-promise",
  "fetch",
  "http-request",
  "socket-read",
  "stream-read",
  "drain",
  "child",
  "worker",
  "fs",
  "dns",
  "after-a-value",
  "then-chain",
  "all",
  "race",
  "allSettled",
  "all-async",
  "race-settled",
];

it("covers every task the fixture starts", () => {
  expect(Object.keys(expected())).toEqual(TASKS);
  expect([...new Set([...rt.tasks.values()].map((t) => t.name))].sort()).toEqual([...TASKS].sort());
});

it.each(TASKS)("says what task %s awaits, at its await line", (task) => {
  const { text, waits: wanted, inner } = expected()[task]!;
  const at = (text: string, list: Waits) => {
    const line = lineOf(text);
    return list.map(([type, awaited, reason]) => ({
      source: `${type}::await`,
      type,
      awaited,
      at: `fixture:${line}`,
      line: fixtureText[line - 1]!.trim(),
      reason,
    }));
  };
  expect(waits(task)).toEqual([...(inner ? at(inner.text, inner.waits) : []), ...at(text, wanted)]);
});

it("ends every input's wait once the race is settled", async () => {
  const line = lineOf("await Promise.race([targets.gate,");
  const raceOps = pending().filter((op) => op.task?.name === "race-settled" && resolveSite(op.site)?.line === line);
  expect(raceOps.map((op) => op.source)).toEqual(["Promise::await", "Fetch::await"]);
  openGate();
  for (let i = 0; i < 200 && raceOps.some((op) => op.droppedAt < 0); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(raceOps.map((op) => op.droppedAt >= 0)).toEqual([true, true]);
  // The task moved on to its next await.
  rt.settleDeferred();
  expect(waits("race-settled").map((w) => [w.type, w.at])).toEqual([["Promise", `fixture:${line + 1}`]]);
});

it("keeps showing a wait at the app's await once the wait inside Node before it is over", async () => {
  const dir = mkdtempSync(join(tmpdir(), "insight-fifo-"));
  const fifo = join(dir, "opened-later");
  execFileSync("mkfifo", [fifo]);
  const fx = createRequire(import.meta.url)(fixture) as { startFifoRead: (spawner: typeof spawn, path: string) => Promise<string> };
  const read = fx.startFifoRead(spawn, fifo);
  const line = lineOf("return await readFile(fifo,");
  const fifoWaits = () => waits("fifo-read").map((w) => [w.type, w.at, w.reason]);
  rt.settleDeferred();
  // Node's own first await (the FIFO's open, blocked until a writer comes) is shown at the app's line.
  expect(fifoWaits()).toEqual([["Fs", `fixture:${line}`, "waiting for fs.readFile"]]);
  const opening = pending().find((op) => op.task?.name === "fifo-read")!;
  const writer = openSync(fifo, "w");
  for (let i = 0; i < 2000 && opening.droppedAt < 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(opening.droppedAt).toBeGreaterThanOrEqual(0);
  // The open is over and its wait ended; the read goes on, and is shown at the same line as one new wait.
  rt.settleDeferred();
  expect(fifoWaits()).toEqual([["Fs", `fixture:${line}`, "waiting for fs.readFile"]]);
  expect(pending().find((op) => op.task?.name === "fifo-read")).not.toBe(opening);
  closeSync(writer);
  expect(await read).toBe("");
  expect(fifoWaits()).toEqual([]);
  rmSync(dir, { recursive: true, force: true });
});
