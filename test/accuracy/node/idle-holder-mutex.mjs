// Planted, formed after the console attaches: after 2.5 s the refresher takes
// the cache lock and backs off for an hour without releasing it (the backoff
// should have been outside the critical section); two readers queue for it.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const cache = new Mutex(new Map(), { name: "cache" });

insight.spawn("refresher", async () => {
  await sleep(2_500);
  const guard = await cache.lock();
  try {
    await sleep(3_600_000); // upstream failed: retry in an hour
  } finally {
    guard.release();
  }
});

async function reader() {
  await sleep(2_700);
  const guard = await cache.lock();
  guard.release();
}

insight.spawn("reader", reader);
insight.spawn("reader", reader);
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
