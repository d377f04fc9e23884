// Healthy: fan-out through a small pool (generic-pool, max 2). Two request
// loops each run three 1.2 s queries at once with Promise.all, so each request
// holds a connection while another of its queries waits for one. Unlike
// nested acquisition, every held connection is running a query that ends by
// itself and gives it back.
import * as insight from "async-insight";
import genericPool from "generic-pool";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 2 });

async function runQuery() {
  const conn = await pool.acquire();
  try {
    await sleep(1_200); // a slow query
  } finally {
    pool.release(conn);
  }
}

async function requests() {
  for (;;) await Promise.all([runQuery(), runQuery(), runQuery()]);
}

insight.spawn("GET /dashboard", requests);
insight.spawn("GET /dashboard", requests);
console.log(`ready ${address?.port}`);
