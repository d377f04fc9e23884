// Planted: a cycle through a library lock and a library pool. The cache
// refresher takes the async-mutex lock and then needs a connection; two
// requests hold both connections of the pool (generic-pool, max 2) and then
// need the cache lock. Each waits on what the other side holds.
import * as insight from "async-insight";
import genericPool from "generic-pool";
import { Mutex } from "async-mutex";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 2 });
const cacheLock = new Mutex();

insight.spawn("refresh-cache", async () => {
  const release = await cacheLock.acquire();
  try {
    await sleep(100);
    const conn = await pool.acquire(); // site: refresher-waits
    pool.release(conn);
  } finally {
    release();
  }
});

async function request() {
  const conn = await pool.acquire();
  try {
    await sleep(50);
    await cacheLock.runExclusive(() => undefined); // site: request-waits
  } finally {
    pool.release(conn);
  }
}

insight.spawn("GET /prices", request);
insight.spawn("GET /prices", request);

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 400);
