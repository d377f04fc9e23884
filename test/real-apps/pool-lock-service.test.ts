/**
 * Issues 14 and 15 on an ordinary service (pool-lock-service.mjs): generic-pool and
 * async-mutex, not async-insight/sync, with insight added by `init()` or by
 * `node --import async-insight/register`. Three transfers deadlock on a pool of 2,
 * a rebuild holds the index lock while waiting for the pool, two reports wait
 * for that lock, and every client gives up after 1 s. `consolation dump --json`
 * (the built CLI: run `npx tsc -b` first) must show each hung request with its
 * await site in the service (exact lines) and, through the library adapters
 * (issue 15), what it waits for in the library's words: a pool connection
 * checked out by the named transfers, or the lock held by the rebuild; and the
 * handlers must stay visible after the clients are gone. The TUI (under tmux)
 * and the web console show the same: the cycle through the pool with each
 * holder at its second acquire, and every hung request blocked.
 *
 * A console looks once before the requests arrive: awaits of plain promises
 * are noted only while someone looks (docs/model.md, "Awaits of any promise");
 * the adapters' waits are recorded whether or not anyone looks, and replace
 * the plain-promise view of the same awaits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import http from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { WebSnapshot } from "@async-insight/web-contract";
import { CONSOLATION_BIN, runCli } from "../cli/run-cli.js";
import { startPeer } from "../support/rust-peers.js";
import { TmuxSession } from "../support/tmux.js";
import { delay, waitFor } from "../support/wait-for.js";

const SERVICE = fileURLToPath(new URL("./pool-lock-service.mjs", import.meta.url));

/** The 1-based line of `text` in `file` (exactly one). */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line with ${text} in ${file}, found ${found.length}`);
  return found[0]!;
}

const awaitLine = (marker: string) => lineOf(SERVICE, `// await: ${marker}`);
const sourceText = (line: number) => readFileSync(SERVICE, "utf8").split("\n")[line - 1]!.trim();
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

describe.each([
  ["init()", [], { SERVICE_INIT: "1" }],
  ["--import async-insight/register", ["--import", "async-insight/register"], {}],
] as const)("a service with insight started by %s", (_how, args, env) => {
  it("shows every hung request's await site and what it awaits, and keeps the orphaned handlers", async () => {
    const ports = await startService([...args], env);
    // Someone looks before the hang (the await tracker arms while a console looks).
    expect((await dump(ports.console)).tasks.filter((t) => t.kind === "request")).toEqual([]);

    const clients = [
      impatientRequest(ports.http, "POST", "/transfer"),
      impatientRequest(ports.http, "POST", "/transfer"),
      impatientRequest(ports.http, "POST", "/transfer"),
    ];
    const first = awaitLine("first connection");
    const second = awaitLine("second connection");
    await waitFor(
      async () => {
        const lines = hungRequests(await dump(ports.console)).flatMap((r) => r.ops.map(opLine));
        return lines.sort().join() === [first, second, second].sort().join();
      },
      { timeoutMs: 20_000, description: "three transfers deadlocked on the pool" },
    );
    clients.push(impatientRequest(ports.http, "POST", "/rebuild"));
    await waitFor(async () => hungRequests(await dump(ports.console)).some((r) => r.task.name === "POST /rebuild" && r.ops.length === 1), {
      timeoutMs: 20_000,
      description: "the rebuild holding the lock",
    });
    clients.push(impatientRequest(ports.http, "GET", "/report"), impatientRequest(ports.http, "GET", "/report"));

    // Every client gives up after 1 s.
    expect(await Promise.all(clients)).toEqual(["gave up", "gave up", "gave up", "gave up", "gave up", "gave up"]);
    const state = await waitFor(
      async () => {
        const s = await dump(ports.console);
        return hungRequests(s).filter((r) => r.ops.some((op) => op.attributes["insight.client_gone"]?.value === true)).length === 6 && s;
      },
      { timeoutMs: 20_000, description: "six orphaned handlers" },
    );

    // The transfers holding a connection are the two blocked at their second acquire; the rebuild holds the lock.
    const requests = hungRequests(state);
    const holders = requests
      .filter((r) => r.ops.some((op) => opLine(op) === second))
      .map((r) => Number(r.task.id))
      .sort((a, b) => a - b);
    expect(holders).toHaveLength(2);
    const rebuildId = requests.find((r) => r.task.name === "POST /rebuild")!.task.id;
    const pool = `Pool::acquire waiting for a pool connection: 2/2 checked out by tasks ${holders.join(", ")}`;
    const lock = `Mutex::acquire waiting for lock held by task ${rebuildId}`;
    const expected = [
      ["POST /transfer", first, pool],
      ["POST /transfer", second, pool],
      ["POST /transfer", second, pool],
      ["POST /rebuild", awaitLine("rebuild connection"), pool],
      ["GET /report", awaitLine("index lock (report)"), lock],
      ["GET /report", awaitLine("index lock (report)"), lock],
    ].map(([name, line, what]) => `${name} blocked ${line} ${what}`);
    const seen = requests.map(({ task, ops }) => {
      expect(ops).toHaveLength(1);
      const op = ops[0]!;
      const line = opLine(op);
      expect(op.attributes["insight.await_line"]?.value).toBe(sourceText(line));
      const column = op.location!.split(":").pop();
      const prefix = `client gone, handler still waiting at pool-lock-service.mjs:${line}:${column}: `;
      const reason = String(op.attributes["insight.reason"]?.value);
      expect(reason.startsWith(prefix)).toBe(true);
      return `${task.name} ${task.state} ${line} ${op.source} ${reason.slice(prefix.length)}`;
    });
    expect(seen.sort()).toEqual(expected.sort());

    // Still there once the clients are long gone (and after a GC proof could have run).
    await delay(4000);
    const later = hungRequests(await dump(ports.console));
    expect(later.map(({ task, ops }) => `${task.name} ${task.state} ${ops.length}`).sort()).toEqual(
      ["GET /report", "GET /report", "POST /rebuild", "POST /transfer", "POST /transfer", "POST /transfer"].map((name) => `${name} blocked 1`),
    );

    // The TUI shows the same: the cycle through the pool, each holder at its second acquire.
    const [a, b] = holders;
    const outDir = mkdtempSync(join(tmpdir(), "pool-lock-tui-"));
    const tmux = await TmuxSession.start(process.execPath, [CONSOLATION_BIN, "--port", String(ports.console), "--out-dir", outDir], { width: 180, height: 60 });
    try {
      const list = await tmux.waitForScreen((screen) => screen.includes("⚠ deadlock cycle was detected. hit P for more info."), {
        description: "the deadlock banner",
      });
      for (const { task } of later) expect(list).toMatch(new RegExp(`^\\s+${task.id} ${task.name}\\s+reques\\s+blocked\\s`, "m"));
      await tmux.sendKeys("P");
      const problems = await tmux.waitForScreen((screen) => screen.includes("docs/problems/deadlock-cycle.md"), { description: "the problem view" });
      expect(problems).toContain(`ERROR  Tasks ${a} "POST /transfer", ${b} "POST /transfer" wait on each other through`);
      const block = problems.slice(problems.indexOf("ERROR  Tasks"), problems.indexOf("docs: docs/problems/deadlock-cycle.md"));
      // Each holder's await site line (its reason, which names the site too, is on the line above).
      expect(block.split("\n").filter((l) => l.trimStart().startsWith("at ") && l.includes(`pool-lock-service.mjs:${second}:`))).toHaveLength(2);
      await tmux.sendKeys("Enter");
      const view = await tmux.waitForScreen((screen) => screen.includes(`Task ${a} POST /transfer`) && screen.includes("Waiting on"), {
        description: "the first holder's task view",
      });
      expect(view).toMatch(new RegExp(`Blocked at \\S*pool-lock-service\\.mjs:${second}:`));
      expect(view).toContain(`(Pool):  client gone, handler still waiting at pool-lock-service.mjs:${second}:`);
      await tmux.sendKeys("q");
    } finally {
      await tmux.kill();
      rmSync(outDir, { recursive: true, force: true });
    }

    // And the web console: the same problem, every hung request blocked.
    const web = startPeer(process.execPath, [CONSOLATION_BIN, "web", "--port", String(ports.console), "--listen-port", "0"]);
    try {
      const [, url] = await web.waitForOutput(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      const snapshot = await waitFor(
        async () => {
          const body = (await (await fetch(`${url}api/snapshot`)).json()) as WebSnapshot;
          return body.problems.some((p) => p.lint === "deadlock-cycle") ? body : undefined;
        },
        { timeoutMs: 20_000, description: "the deadlock in the web console's snapshot" },
      );
      const cycles = snapshot.problems.filter((p) => p.lint === "deadlock-cycle");
      expect(cycles.map((p) => [p.severity, [...p.taskKeys].sort()])).toEqual([["error", holders.map(String).sort()]]);
      const hung = snapshot.tasks.filter((t) => t.kind === "request").map((t) => `${t.name} ${t.state}`);
      expect(hung.sort()).toEqual(later.map(({ task }) => `${task.name} blocked`).sort());
    } finally {
      await web.stop();
    }
  }, 150_000);
});
