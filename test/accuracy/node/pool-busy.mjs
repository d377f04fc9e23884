// Healthy: a busy pool (generic-pool, max 2) shared by six workers that each
// check out a connection, run a 150 ms query and give it back, in a loop.
// Both connections are always in use and there is always a queue, but
// connections come back all the time.
import * as insight from "async-insight";
import genericPool from "generic-pool";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 2 });

async function worker(id) {
  for (let n = 0; ; n++) {
    const conn = await pool.acquire();
    try {
      await sleep(100 + ((id + n) % 3) * 50); // the query
    } finally {
      pool.release(conn);
    }
  }
}

for (let i = 0; i < 6; i++) insight.spawn("worker", () => worker(i));
console.log(`ready ${address?.port}`);
