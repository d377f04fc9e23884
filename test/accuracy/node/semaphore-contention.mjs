// Healthy: thirty request handlers share a pool of three connections guarded by
// a Semaphore; each query holds a permit for a few milliseconds, so there is
// always a queue of tasks waiting for permits and the permits always come back.
import * as insight from "async-insight";
import { Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pool = new Semaphore(3, { name: "db_pool" });

async function query(id) {
  const permit = await pool.acquire();
  try {
    await sleep(5 + (id % 10)); // the query's round trip
  } finally {
    permit.release();
  }
}

async function handler(id) {
  for (;;) {
    await query(id);
    await sleep(1 + (id % 4));
  }
}

for (let i = 0; i < 30; i++) insight.spawn("handler", () => handler(i));
console.log(`ready ${address?.port}`);
