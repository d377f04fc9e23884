/**
 * The second story end to end, on a real PostgreSQL (Debian's postgresql,
 * started here on a free port in a temporary directory): the orders service
 * of examples/node/orders-service, express on pg, run with
 * `node --import async-insight/register` and no insight in its code.
 *
 * server.mjs writes each order's audit row through the pool while the order
 * holds a connection of it (max 2): concurrent orders each hold one and wait
 * for another, and the pool deadlocks. `check` must fail it with a
 * deadlock-cycle through the pool naming both holders; the plain report, the
 * TUI and the web console must show the same cycle. server-fixed.mjs, which writes the audit
 * row through the held connection, must pass `check` under the same load.
 *
 * Runs the built library and CLI: `npx tsc -b` first.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLATION_BIN, runCli } from "../cli/run-cli.js";
import { startPostgres, type PostgresServer } from "../support/servers.js";
import { TmuxSession } from "../support/tmux.js";
import { startPeer } from "../support/rust-peers.js";
import { delay, waitFor } from "../support/wait-for.js";
import {
  lineOf,
  loadUntilUnanswered,
  ORDER,
  postOrders,
  request,
  SERVICE_DIR,
  startOrdersService,
  type Outcome,
  type RunningService,
} from "./orders-service.js";

const PG_VERSION = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("pg/package.json"), "utf8")) as { version: string }).version;
/** file:line:column of the first `text` on its only line in the service's `file`, as the dump gives locations. */
function siteOf(file: string, line: string, text: string): string {
  const n = lineOf(file, line);
  const column = readFileSync(`${SERVICE_DIR}${file}`, "utf8").split("\n")[n - 1]!.indexOf(text) + 1;
  return `${file}:${n}:${column}`;
}

/** Lints that say a task is stuck or about to be; a healthy service under load must raise none. */
const STUCK_LINTS = [
  "deadlock-cycle",
  "never-woken",
  "likely-deadlock",
  "lock-held-while-idle",
  "permits-held-while-idle",
  "pool-exhausted-by-idle-holders",
  "limiter-slots-held-by-stuck",
  "lock-held-across-stuck-await",
];

interface DumpValue {
  value: unknown;
}
interface Dump {
  tasks: Array<{ id: string; name: string; state: string }>;
  resources: Array<{ id: string; concreteType: string; location: string; attributes: Record<string, DumpValue> }>;
  asyncOps: Array<{ source: string; taskId: string; resourceId?: string; pending: boolean; location: string; attributes: Record<string, DumpValue> }>;
}
interface CheckJson {
  ok: boolean;
  problems: Array<{
    lint: string;
    severity: string;
    denied: boolean;
    summary: string;
    tasks: string[];
    locations: Array<{ where: string; what: string }>;
    docs: string;
  }>;
}

interface WebSnapshot {
  problems: Array<{ lint: string; severity: string; taskKeys: string[]; docsPage: string }>;
  graph: {
    nodes: Array<{ id: string; label: string; inCycle: boolean }>;
    edges: Array<{ from: string; to: string; label: string; relation: string; inCycle: boolean }>;
  };
}

async function dump(consolePort: number): Promise<Dump> {
  const result = await runCli(["dump", "--json", "--port", String(consolePort)]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as Dump;
}

/** The ids in `holder:<id>` pairs of a resource's `insight.owners`, one per connection held, in numeric order. */
function holderIds(resource: Dump["resources"][number]): string[] {
  const owners = String(resource.attributes["insight.owners"]?.value ?? "");
  return owners
    .split(",")
    .filter((pair) => pair.startsWith("holder:"))
    .map((pair) => pair.slice("holder:".length))
    .sort((a, b) => Number(a) - Number(b));
}

async function poolHolders(consolePort: number): Promise<string[]> {
  const state = await dump(consolePort);
  return holderIds(state.resources.find((r) => r.concreteType === "Pool")!);
}

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(() => postgres?.stop());

describe("server.mjs: each order asks the pool for a second connection while it holds one", () => {
  // Where the holders wait (the audit row through the pool), where the other orders wait, where the pool is made.
  const AUDIT = siteOf("server.mjs", 'await pool.query("INSERT INTO audit_log', "query(");
  const CHECKOUT = siteOf("server.mjs", "const client = await pool.connect();", "connect(");
  const POOL = siteOf("db.mjs", "new pg.Pool(", "new pg.Pool(");
  const REL = "examples/node/orders-service/";
  let service: RunningService;
  let alone: Outcome[];
  let rounds: Outcome[][];

  beforeAll(async () => {
    service = await startOrdersService("server.mjs", postgres.url);
    alone = [await request(service.httpPort, "POST", "/orders", 10_000, ORDER), await request(service.httpPort, "POST", "/orders", 10_000, ORDER)];
    rounds = await loadUntilUnanswered(service.httpPort);
  });
  afterAll(() => service?.peer.stop());

  it("answers orders one at a time, and hangs under concurrent ones while the process stays alive", async () => {
    expect(alone).toEqual([201, 201]);
    const last = rounds.at(-1)!;
    // Two orders hold the pool's two connections, each waiting for another: at least those two never answer.
    expect(last.filter((o) => o === "no answer").length).toBeGreaterThanOrEqual(2);
    expect(await request(service.httpPort, "GET", "/health", 5_000)).toBe(200);
    expect(await request(service.httpPort, "GET", "/orders/1", 2_000)).toBe("no answer");
  });

  it("publishes the pg Pool with its two holders, each a POST /orders waiting for another connection from it", async () => {
    const state = await dump(service.consolePort);
    const pools = state.resources.filter((r) => r.concreteType === "Pool");
    expect(pools).toHaveLength(1);
    const pool = pools[0]!;
    expect(pool.location).toBe(`${SERVICE_DIR}${POOL}`);
    expect(pool.attributes["insight.name"]?.value).toBe("orders-service");
    expect(pool.attributes["insight.library"]?.value).toBe(`pg@${PG_VERSION}`);
    expect(pool.attributes["insight.capacity"]?.value).toBe(2);
    expect(pool.attributes["insight.in_use"]?.value).toBe(2);
    // pg waits forever for a connection by default (no connectionTimeoutMillis): nothing ends these waits.
    expect(pool.attributes["insight.timeout_ms"]).toBeUndefined();
    const holders = holderIds(pool);
    expect(holders).toHaveLength(2);
    expect(new Set(holders).size).toBe(2);
    // The clients gave up after 2 s; the handlers still wait, and say so.
    // The service runs from the repository root, so the reason names the await relative to it.
    const reason = (site: string) =>
      `client gone, handler still waiting at ${REL}${site}: waiting for a pool connection: 2/2 checked out by tasks ${holders.join(", ")}`;
    const waitsOf = (id: string) =>
      state.asyncOps
        .filter((op) => op.taskId === id && op.pending)
        .map((op) => [op.source, op.resourceId, op.location, op.attributes["insight.reason"]?.value]);
    for (const id of holders) {
      expect(state.tasks.find((t) => t.id === id)).toMatchObject({ name: "POST /orders", state: "blocked" });
      expect(waitsOf(id)).toEqual([["Pool::connect", pool.id, `${SERVICE_DIR}${AUDIT}`, reason(AUDIT)]]);
    }
    // Every other order waits for its first connection, behind them.
    const others = state.tasks.filter((t) => t.name === "POST /orders" && !holders.includes(t.id));
    expect(others.length).toBeGreaterThan(0);
    for (const task of others) expect(waitsOf(task.id)).toEqual([["Pool::connect", pool.id, `${SERVICE_DIR}${CHECKOUT}`, reason(CHECKOUT)]]);
    expect(pool.attributes["insight.pending"]?.value).toBe(state.asyncOps.filter((op) => op.resourceId === pool.id && op.pending).length);
  });

  it("fails `check` with a deadlock-cycle through the pool that names both holders", async () => {
    const holders = await poolHolders(service.consolePort);
    const result = await runCli(["check", "--port", String(service.consolePort), "--for", "5s", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report.ok).toBe(false);
    const denied = report.problems.filter((p) => p.denied);
    expect(denied.map((p) => p.lint)).toEqual(["deadlock-cycle"]);
    const [cycle] = denied;
    expect(cycle!.denied).toBe(true);
    expect(cycle!.severity).toBe("error");
    expect(cycle!.tasks).toEqual(holders.map((id) => `task ${id} POST /orders`));
    const [a, b] = holders;
    expect(cycle!.summary).toContain(
      `Tasks ${a} "POST /orders", ${b} "POST /orders" wait on each other through pool orders-service and can never make progress: ` +
        `pool orders-service: 2/2 connections held by tasks ${a} and ${b}, each waiting for another connection from it.`,
    );
    expect(cycle!.locations.map((l) => l.where)).toEqual([`${REL}${AUDIT}`, `${REL}${POOL}`, `${REL}${AUDIT}`]);
    expect(cycle!.locations[1]!.what).toBe("orders-service created");
    for (const [i, id] of [a, b].entries())
      expect(cycle!.locations[i * 2]!.what).toMatch(new RegExp(`^task ${id} POST /orders: .*await pool\\.query\\("INSERT INTO audit_log`));
    expect(cycle!.docs).toBe("docs/problems/deadlock-cycle.md");
  });

  it("prints the same cycle in the plain report when stdout is not a terminal", async () => {
    const holders = await poolHolders(service.consolePort);
    const result = await runCli(["--port", String(service.consolePort), "--report-updates", "5"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    for (const id of holders) expect(lines.some((l) => new RegExp(`^\\s*${id}\\s+POST /orders\\s+request\\s+blocked\\s`).test(l))).toBe(true);
    const [a, b] = holders;
    const errors = lines.filter((l) => l.startsWith("  [error] "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^  \\[error\\] Tasks ${a} "POST /orders", ${b} "POST /orders" wait on each other through pool orders-service and can never make progress: pool orders-service: 2/2 connections held by tasks ${a} and ${b}, .*\\(deadlock-cycle; see docs/problems/deadlock-cycle\\.md\\)$`,
      ),
    );
    const at = lines.indexOf(errors[0]!);
    const awaits = `awaits orders-service (Pool): client gone, handler still waiting at ${REL}${AUDIT}: waiting for a pool connection: 2/2 checked out by tasks ${a}, ${b} at ${REL}${AUDIT}`;
    expect(lines.slice(at + 1, at + 5).map((l) => l.trim())).toEqual([
      `request ${a} "POST /orders"  http.method=POST http.target=/orders`,
      awaits,
      `request ${b} "POST /orders"  http.method=POST http.target=/orders`,
      awaits,
    ]);
  });

  it("shows the cycle in the TUI: the banner, P names both holders at the audit query, and the pool lists them as its certain holders", async () => {
    const holders = await poolHolders(service.consolePort);
    const [a, b] = holders;
    const outDir = mkdtempSync(join(tmpdir(), "orders-story-"));
    const tmux = await TmuxSession.start(process.execPath, [CONSOLATION_BIN, "--port", String(service.consolePort), "--out-dir", outDir], {
      width: 160,
      height: 48,
    });
    try {
      const list = await tmux.waitForScreen((s) => s.includes("⚠ deadlock cycle was detected. hit P for more info."), { description: "the deadlock banner" });
      for (const id of holders) expect(list).toMatch(new RegExp(`^\\s+${id} POST /orders\\s+reques\\s+blocked\\s.*⚠ \\d`, "m"));
      await tmux.sendKeys("P");
      const problems = await tmux.waitForScreen((s) => s.includes("docs/problems/deadlock-cycle.md") && s.includes("rests on:"), {
        description: "the problem view",
      });
      expect(problems).toContain(
        `ERROR  Tasks ${a} "POST /orders", ${b} "POST /orders" wait on each other through pool orders-service and can never make progress`,
      );
      expect(problems).toContain("rests on: certain: only the named tasks can free what they wait on");
      for (const id of holders) expect(problems).toContain(`request id ${id} "POST /orders"`);
      const block = problems.slice(problems.indexOf("ERROR  Tasks"), problems.indexOf("docs: docs/problems/deadlock-cycle.md"));
      expect(block.split("\n").filter((l) => l.includes(`at ${REL}${AUDIT}  await pool.query("INSERT INTO audit_log`))).toHaveLength(2);
      // Enter: the first task of the cycle; Enter again on the pool it waits on: who can free it.
      await tmux.sendKeys("Enter");
      const task = await tmux.waitForScreen((s) => s.includes(`Task ${a} POST /orders`) && s.includes("Waiting on"), {
        description: "the first holder's task view",
      });
      expect(task).toContain(`Blocked at ${REL}${AUDIT}`);
      expect(task).toMatch(/▶ orders-service \(Pool\):/);
      await tmux.sendKeys("Enter");
      const freers = await tmux.waitForScreen((s) => s.includes("Tasks that can free orders-service"), { description: "the pool's freers" });
      for (const id of holders) expect(freers).toMatch(new RegExp(`task ${id} POST /orders\\s+holds 1 connection \\(pool\\)\\s+certain\\s+blocked`));
      await tmux.sendKeys("q");
    } finally {
      await tmux.kill();
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("marks the same cycle in the web console: both holders and the pool, waits one way and holds the other", async () => {
    const holders = await poolHolders(service.consolePort);
    const poolId = (await dump(service.consolePort)).resources.find((r) => r.concreteType === "Pool")!.id;
    const web = startPeer(process.execPath, [CONSOLATION_BIN, "web", "--port", String(service.consolePort), "--listen-port", "0"]);
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
      expect(cycles.map((p) => [p.severity, p.taskKeys, p.docsPage])).toEqual([["error", holders, "docs/problems/deadlock-cycle.md"]]);
      const inCycle = snapshot.graph.nodes.filter((n) => n.inCycle).map((n) => [n.id, n.label]);
      expect(inCycle).toEqual([...holders.map((id) => [`t:${id}`, `task ${id} POST /orders`]), [`r:${poolId}`, "orders-service"]]);
      const edges = snapshot.graph.edges.filter((e) => e.inCycle).map((e) => [e.from, e.to, e.relation, e.relation === "frees" ? e.label : ""]);
      expect(edges).toEqual([
        ...holders.map((id) => [`t:${id}`, `r:${poolId}`, "waits", ""]),
        ...holders.map((id) => [`r:${poolId}`, `t:${id}`, "frees", "holds 1 connection (pool)"]),
      ]);
    } finally {
      await web.stop();
    }
  });
});

describe("server-fixed.mjs: the audit row goes through the order's own connection", () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startOrdersService("server-fixed.mjs", postgres.url);
  });
  afterAll(() => service?.peer.stop());

  it("answers every order under the same load, and passes `check` watching throughout", async () => {
    const check = runCli(["check", "--port", String(service.consolePort), "--for", "8s", "--json"]);
    let checked = false;
    void check.then(() => (checked = true));
    // The same rounds of 8 concurrent orders the broken service hung on, for as long as check watches: orders queue
    // for the pool (6 of every 8 wait for a connection) and all get through.
    const rounds: Outcome[][] = [];
    while (!checked && rounds.length < 200) {
      rounds.push(await postOrders(service.httpPort, 8, 10_000));
      await delay(100);
    }
    const result = await check;
    expect(rounds.length).toBeGreaterThan(1);
    expect(rounds.flat().filter((o) => o !== 201)).toEqual([]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report.ok).toBe(true);
    expect(report.problems.filter((p) => STUCK_LINTS.includes(p.lint) || p.severity === "error")).toEqual([]);
    expect(await request(service.httpPort, "GET", "/orders/1", 5_000)).toBe(200);
  });
});
