// Planted: nested pool acquisition (generic-pool, max 2, no acquire timeout).
// Each handler checks out a connection and, still holding it, calls a helper
// that checks out its own. Two handlers at once hold both connections and each
// waits for a third that can never come: a deadlock through the pool.
import * as insight from "async-insight";
import genericPool from "generic-pool";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
let made = 0;
const pool = genericPool.createPool({ create: async () => ({ id: ++made }), destroy: async () => {} }, { max: 2 });

async function writeAudit() {
  const conn = await pool.acquire(); // site: nested-acquire
  pool.release(conn);
}

async function handler() {
  const conn = await pool.acquire(); // site: outer-acquire
  try {
    await sleep(100); // the order query
    await writeAudit();
  } finally {
    pool.release(conn);
  }
}

insight.spawn("GET /orders", handler);
insight.spawn("GET /orders", handler);

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 400);
