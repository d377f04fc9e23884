// Healthy: a report endpoint on pg (a real PostgreSQL, PG_URL) fans out three
// 5 s queries at once with pool.query() over a pool of two, in a request
// loop. The pool is full and a query waits for a client most of the time, but
// each client is checked out by pool.query() for its one query and comes back
// when that query ends: no request holds a connection while it waits.
import * as insight from "async-insight";
import pg from "pg";

const address = await insight.init().ready;
const pool = new pg.Pool({ connectionString: process.env.PG_URL, max: 2, application_name: "reports-db" });
pool.on("error", () => {});

async function requests() {
  for (;;) {
    await Promise.all([
      pool.query("SELECT pg_sleep(5)"),
      pool.query("SELECT pg_sleep(5)"),
      pool.query("SELECT pg_sleep(5)"),
    ]);
  }
}

insight.spawn("GET /report", requests);
console.log(`ready ${address?.port}`);
