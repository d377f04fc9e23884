/**
 * pg's pool.query() checks a client out for its one query and gives it back when the query ends:
 * a task fanning out pool.query() calls over a full pool (pg-fanout-app.mjs, against a real
 * PostgreSQL) holds nothing itself. The clients are counted in `insight.in_use` but are not
 * `holder:<task>` owners, so `check` (attached while the queries wait) finds no deadlock; the real
 * nested acquire (pool.connect() held, pool.query() inside) still fails it. Run `npx tsc -b` first.
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { startPostgres, type PostgresServer } from "../support/servers.js";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./pg-fanout-app.mjs", import.meta.url));

let server: PostgresServer;
let app: RunningApp | undefined;
beforeAll(async () => {
  server = await startPostgres();
  process.env.PG_URL = server.url;
});
afterEach(() => {
  app?.stop();
  delete process.env.NESTED;
});
afterAll(async () => {
  delete process.env.PG_URL;
  await server?.stop();
});

describe.each(START_MODES)("pg pool.query() fan-out, insight started by %s", (mode) => {
  it("counts the clients pool.query() checked out without naming the task as their holder, and check passes", async () => {
    app = await startApp(APP, mode);
    const { fanout } = app.info.tasks as Record<string, number>;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const pool = s.resources.find((r) => r.concreteType === "Pool" && attr(r, "insight.name") === "fanout-db");
        const waiting = s.asyncOps.filter((o) => o.pending && o.source === "Pool::connect");
        return pool !== undefined && attr(pool, "insight.in_use") === 2 && waiting.length === 1 && attr(waiting[0]!, "insight.await_line") !== undefined && s;
      },
      { timeoutMs: 20_000, description: "two clients checked out by pool.query() and a third query waiting, with its await line" },
    );

    const pool = state.resources.find((r) => r.concreteType === "Pool" && attr(r, "insight.name") === "fanout-db")!;
    // Located at `new pg.Pool(...)` (pg.Pool read after the patch), not at its first query.
    expect(pool.location?.replace(/:\d+$/, "")).toBe(`${APP}:${lineOf(APP, "// create: fanout")}`);
    expect(attr(pool, "insight.capacity")).toBe(2);
    expect(attr(pool, "insight.pending")).toBe(1);
    expect(attr(pool, "insight.owners")).toBe("");
    const line = lineOf(APP, "// await: fanout");
    const waits = state.asyncOps
      .filter((o) => o.pending && o.source === "Pool::connect")
      .map((o) => ({ task: Number(o.taskId), resource: o.resourceId, line: attr(o, "insight.await_line"), reason: attr(o, "insight.reason") }));
    expect(waits).toEqual([
      {
        task: fanout,
        resource: pool.id,
        line: sourceText(APP, line),
        reason: `waiting for a pool connection: 2/2 checked out; 2 by pool.query() calls of task ${fanout} (2 connections), freed when they end`,
      },
    ]);

    // A console attached while the queries wait: nothing is stuck.
    const checked = await runCli(["check", "--for", "2s", `127.0.0.1:${app.console}`], { timeoutMs: 30_000 });
    expect({ code: checked.code, problems: checked.stdout.split("\n").filter((l) => /^(error|warning)\[/.test(l)) }).toEqual({ code: 0, problems: [] });

    // The lock goes: the three queries run and the clients come back.
    app.poke();
    const [done] = (await once(app.child.stdout!, "data")) as [Buffer];
    expect(JSON.parse(String(done))).toEqual({ done: 3 });
    const after = await waitFor(
      async () => {
        const s = await app!.dump();
        const p = s.resources.find((r) => r.id === pool.id)!;
        return attr(p, "insight.in_use") === 0 && s;
      },
      { timeoutMs: 20_000, description: "the clients given back" },
    );
    expect(after.asyncOps.filter((o) => o.pending && o.source === "Pool::connect")).toEqual([]);
  }, 60_000);

  it("still fails check on the nested acquire (pool.connect() held, then pool.query() or pool.connect()) next to the fan-out", async () => {
    process.env.NESTED = "1";
    app = await startApp(APP, mode);
    const [byQuery, byConnect] = (app.info.tasks as { nested: number[] }).nested;
    await waitFor(
      async () => {
        const s = await app!.dump();
        return s.asyncOps.filter((o) => o.pending && o.source === "Pool::connect").length === 3 && s;
      },
      { timeoutMs: 20_000, description: "the fan-out's and the two nested tasks' waits" },
    );
    const checked = await runCli(["check", "--for", "2s", `127.0.0.1:${app.console}`], { timeoutMs: 30_000 });
    expect(checked.code).not.toBe(0);
    const problems = checked.stdout.split("\n").filter((l) => /^(error|warning)\[/.test(l));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^error\[deadlock-cycle\]: Tasks \d+ "nested-query", \d+ "nested-connect" wait on each other through pool nested-db/);
    expect(problems[0]).toMatch(new RegExp(`2/2 connections held by tasks (${byQuery} and ${byConnect}|${byConnect} and ${byQuery}),`));
  }, 60_000);
});
