// Planted: an async-mutex lock held across an await that can never settle.
// The refresher takes the cache lock and awaits a reply whose resolver it
// parked in a map local to the call, so nothing can ever resolve it; two
// readers queue for the lock. The refresher is provably stuck (never-woken);
// the lock it keeps strands the readers.
import * as insight from "async-insight";
import { Mutex } from "async-mutex";

const address = await insight.init().ready;
const cache = new Mutex();

function fetchUpstream() {
  const pending = new Map(); // bug: should be the connection's map
  return new Promise((resolve) => pending.set(1, resolve));
}

insight.spawn("refresher", async () => {
  const release = await cache.acquire();
  try {
    await fetchUpstream(); // stuck-await
  } finally {
    release();
  }
});

async function reader() {
  await cache.runExclusive(() => undefined);
}

setTimeout(() => {
  insight.spawn("reader", reader);
  insight.spawn("reader", reader);
}, 200);

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 4_000); // the hang is old news when someone looks
