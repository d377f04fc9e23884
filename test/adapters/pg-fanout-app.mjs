// A healthy service on pg (issue 15 adapters test) against the real PostgreSQL in PG_URL: one
// "fanout" task runs three pool.query() calls at once on a pool of two. Each query waits on an
// advisory lock a separate "blocker" session holds until the test pokes stdin, so two clients stay
// checked out (each by pool.query() for its one query) and the third query waits for a client.
// Nothing here is stuck: the queries end when the lock goes, and give their clients back.
// With NESTED=1, a second pool shows the real nested acquire next to it: two tasks each hold a
// client from pool.connect() and ask the same two-client pool for another.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import pg from "pg";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const url = process.env.PG_URL;
const pool = new pg.Pool({ connectionString: url, max: 2, application_name: "fanout-db" }); // create: fanout
const nestedPool = new pg.Pool({ connectionString: url, max: 2, application_name: "nested-db" });
for (const p of [pool, nestedPool]) p.on("error", () => {});

const blocker = new pg.Client({ connectionString: url });
await blocker.connect();
await blocker.query("SELECT pg_advisory_lock(9)");

const sql = "SELECT pg_advisory_xact_lock_shared(9)";
const fanout = insight.spawn("fanout", async () => {
  const results = await Promise.all([pool.query(sql), pool.query(sql), pool.query(sql)]); // await: fanout
  return results.length;
});
// Each holds a client and asks the same pool for another, one through pool.query(), one through pool.connect().
const nested = process.env.NESTED === "1"
  ? [
    insight.spawn("nested-query", async () => {
      const client = await nestedPool.connect();
      await nestedPool.query("SELECT 1"); // await: nested query
      client.release();
    }),
    insight.spawn("nested-connect", async () => {
      const client = await nestedPool.connect();
      const other = await nestedPool.connect(); // await: nested connect
      other.release();
      client.release();
    }),
  ]
  : [];
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { fanout: fanout.id, nested: nested.map((t) => t.id) } })}\n`);
process.stdin.on("data", async () => {
  await blocker.query("SELECT pg_advisory_unlock(9)");
  const count = await fanout;
  process.stdout.write(`${JSON.stringify({ done: count })}\n`);
});
setInterval(() => {}, 1000);
