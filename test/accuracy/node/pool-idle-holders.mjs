// Planted pool exhaustion by idle holders (generic-pool, max 2): two report
// jobs check out both connections and back off for an hour while keeping
// them; three queries queue for a connection. Nothing is deadlocked (the
// timers will fire), but every connection is held by a task that is idle.
import * as insight from "async-insight";
import genericPool from "generic-pool";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 2 });

async function report() {
  const conn = await pool.acquire();
  try {
    await sleep(3_600_000); // "retry in an hour", with the connection still checked out
  } finally {
    pool.release(conn);
  }
}

async function query() {
  const conn = await pool.acquire();
  pool.release(conn);
}

insight.spawn("report", report);
insight.spawn("report", report);
setTimeout(() => {
  for (let i = 0; i < 3; i++) insight.spawn("query", query);
}, 200);

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 400);
