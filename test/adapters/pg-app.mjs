// A service on pg (issue 15 adapters test) against the real PostgreSQL in PG_URL: two "transfer"
// tasks each hold one of the pool's two clients and ask the pool for another (the nested-acquire
// deadlock); on a second pool with connectionTimeoutMillis, a "report" task queues behind the
// "holder" task's client until the test pokes stdin; a "listing" task's query waits on a Client
// busy with the "locker" task's query.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import pg from "pg";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const url = process.env.PG_URL;
const orders = new pg.Pool({ connectionString: url, max: 2, application_name: "orders-db" });
const timed = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 600000 });
for (const pool of [orders, timed]) pool.on("error", () => {});

async function transfer() {
  const client = await orders.connect();
  await client.query("SELECT 1");
  const { rows } = await orders.query("SELECT 2 AS two"); // await: nested
  client.release();
  return rows;
}

async function report() {
  const client = await timed.connect(); // await: timed
  client.release();
}

let held;
const holder = insight.spawn("holder", async () => {
  held = await timed.connect();
});
await holder;

// A session holding an advisory lock keeps the locker's query running for as long as the test needs.
const blocker = new pg.Client({ connectionString: url });
const shared = new pg.Client({ connectionString: url });
await blocker.connect();
await shared.connect();
await blocker.query("SELECT pg_advisory_lock(7)");
const locker = insight.spawn("locker", () => shared.query("SELECT pg_advisory_lock(7)"));
const listing = insight.spawn("listing", async () => {
  const { rows } = await shared.query("SELECT 'listed' AS what"); // await: queued
  return rows;
});

const tasks = { a: insight.spawn("transfer-a", transfer), b: insight.spawn("transfer-b", transfer), waiter: insight.spawn("report", report) };
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { a: tasks.a.id, b: tasks.b.id, waiter: tasks.waiter.id, holder: holder.id, locker: locker.id, listing: listing.id } })}\n`);
process.stdin.on("data", async () => {
  const releaser = insight.spawn("releaser", async () => {
    held.release();
    await blocker.query("SELECT pg_advisory_unlock(7)");
  });
  process.stdout.write(`${JSON.stringify({ releaser: releaser.id })}\n`);
});
setInterval(() => {}, 1000);
