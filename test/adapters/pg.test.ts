/**
 * The pg adapter in a real app (pg-app.mjs) against a real PostgreSQL started by the test, with
 * insight started by init() after the imports and by --import: the nested-acquire deadlock (both
 * requests hold a client and wait on the same pool, named as holders), a checkout waiting with
 * connectionTimeoutMillis, a query queued on a busy Client, and what a release wakes. Run `npx tsc -b`
 * first (the dump is the built CLI).
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { startPostgres, type PostgresServer } from "../support/servers.js";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOfLocation, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./pg-app.mjs", import.meta.url));

let server: PostgresServer;
let app: RunningApp | undefined;
beforeAll(async () => {
  server = await startPostgres();
  process.env.PG_URL = server.url;
});
afterEach(() => app?.stop());
afterAll(async () => {
  delete process.env.PG_URL;
  await server?.stop();
});

describe.each(START_MODES)("pg, insight started by %s", (mode) => {
  it("publishes each pool with its holders, the nested-acquire waits, the timed checkout and the queued query", async () => {
    app = await startApp(APP, mode);
    const { a, b, waiter, holder, listing } = app.info.tasks as { a: number; b: number; waiter: number; holder: number; listing: number };
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const ops = s.asyncOps.filter((o) => o.pending && (o.source === "Pool::connect" || o.source === "Client::query"));
        return ops.length === 4 && ops.every((o) => attr(o, "insight.await_line") !== undefined) && s;
      },
      { timeoutMs: 20_000, description: "three blocked connects and a queued query, with their await lines" },
    );

    const orders = state.resources.find((r) => r.concreteType === "Pool" && attr(r, "insight.name") === "orders-db")!;
    const timed = state.resources.find((r) => r.concreteType === "Pool" && attr(r, "insight.name") === `postgres@127.0.0.1:${server.port}`)!;
    const client = state.resources.find((r) => r.concreteType === "Client")!;
    expect(attr(orders, "insight.library")).toBe(libraryOf("pg"));
    expect(attr(orders, "insight.capacity")).toBe(2);
    expect(attr(orders, "insight.in_use")).toBe(2);
    expect(attr(orders, "insight.pending")).toBe(2);
    expect(attr(orders, "insight.timeout_ms")).toBe(undefined);
    expect(String(attr(orders, "insight.owners")).split(",").sort()).toEqual([`holder:${a}`, `holder:${b}`].sort());
    expect(attr(timed, "insight.timeout_ms")).toBe(600000);
    expect(attr(timed, "insight.owners")).toBe(`holder:${holder}`);
    expect(attr(client, "insight.owners")).toBe("");

    const nested = lineOf(APP, "// await: nested");
    const timedLine = lineOf(APP, "// await: timed");
    const queued = lineOf(APP, "// await: queued");
    const blocked = state.asyncOps
      .filter((o) => o.pending && (o.source === "Pool::connect" || o.source === "Client::query"))
      .map((o) => ({
        task: Number(o.taskId),
        source: o.source,
        resource: o.resourceId,
        at: lineOfLocation(o.location),
        line: attr(o, "insight.await_line"),
        reason: attr(o, "insight.reason"),
      }))
      .sort((x, y) => x.task - y.task);
    const holders = String(attr(orders, "insight.owners"))
      .split(",")
      .map((o) => o.split(":")[1])
      .join(", ");
    expect(blocked).toEqual(
      [
        {
          task: a,
          source: "Pool::connect",
          resource: orders.id,
          at: `${APP}:${nested}`,
          line: sourceText(APP, nested),
          reason: `waiting for a pool connection: 2/2 checked out by tasks ${holders}`,
        },
        {
          task: b,
          source: "Pool::connect",
          resource: orders.id,
          at: `${APP}:${nested}`,
          line: sourceText(APP, nested),
          reason: `waiting for a pool connection: 2/2 checked out by tasks ${holders}`,
        },
        {
          task: waiter,
          source: "Pool::connect",
          resource: timed.id,
          at: `${APP}:${timedLine}`,
          line: sourceText(APP, timedLine),
          reason: `waiting for a pool connection: 1/1 checked out by task ${holder}; fails after 600000 ms (connectionTimeoutMillis)`,
        },
        {
          task: listing,
          source: "Client::query",
          resource: client.id,
          at: `${APP}:${queued}`,
          line: sourceText(APP, queued),
          reason: `query queued behind the running query on the connection to postgres@127.0.0.1:${server.port}`,
        },
      ].sort((x, y) => x.task - y.task),
    );
    // The generic await tracker (on for every await here) does not also report these waits.
    expect(
      state.asyncOps.filter(
        (o) => o.pending && [a, b, waiter, listing].includes(Number(o.taskId)) && o.source !== "Pool::connect" && o.source !== "Client::query",
      ),
    ).toEqual([]);

    // `check` fails the app: the nested acquire is a closed cycle through pool orders-db, naming both holders.
    const checked = await runCli(["check", "--for", "2s", `127.0.0.1:${app.console}`], { timeoutMs: 30_000 });
    expect(checked.code).not.toBe(0);
    const cycle = checked.stdout.split("\n").filter((line) => line.startsWith("error[deadlock-cycle]:"));
    expect(cycle).toHaveLength(1);
    expect(cycle[0]).toContain("pool orders-db");
    // Holders in the order they checked out, as insight.owners lists them.
    expect(cycle[0]).toContain(`held by tasks ${holders.split(", ").join(" and ")}`);

    // A releaser task gives the holder's client back and lifts the lock: the report gets the client
    // (woken by that task), and the queued query runs.
    app.poke();
    const [released] = (await once(app.child.stdout!, "data")) as [Buffer];
    const { releaser } = JSON.parse(String(released)) as { releaser: number };
    const after = await waitFor(
      async () => {
        const s = await app!.dump();
        const pool = s.resources.find((r) => r.id === timed.id)!;
        const query = s.asyncOps.find((o) => Number(o.taskId) === listing && o.source === "Client::query");
        return attr(pool, "insight.in_use") === 0 && query !== undefined && !query.pending && s;
      },
      { timeoutMs: 20_000, description: "the timed pool released and the queued query run" },
    );
    expect(attr(after.resources.find((r) => r.id === timed.id)!, "insight.owners")).toBe("");
    const waiterOps = after.asyncOps.filter((o) => Number(o.taskId) === waiter && o.source === "Pool::connect");
    expect(waiterOps.map((o) => [o.pending, attr(o, "insight.woken_by")])).toEqual([[false, releaser]]);
    // The deadlocked pair is still waiting.
    expect(
      after.asyncOps
        .filter((o) => o.pending && o.source === "Pool::connect")
        .map((o) => Number(o.taskId))
        .sort(),
    ).toEqual([a, b].sort());
  }, 60_000);
});
