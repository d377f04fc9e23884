// Healthy: a concurrency limiter doing its job. Twelve fetchers share four
// permits for an upstream API whose calls take 1.5 to 2.5 s; the permits are
// held across those calls (that is what the limiter is for) and there is
// always a queue, but a permit comes back every half second or so.
import * as insight from "async-insight";
import { Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const upstream = new Semaphore(4, { name: "upstream_pool" });

async function fetcher(id) {
  for (let n = 0; ; n++) {
    const permit = await upstream.acquire();
    try {
      await sleep(1_500 + ((id * 7 + n * 3) % 10) * 100); // the HTTP call
    } finally {
      permit.release();
    }
  }
}

for (let i = 0; i < 12; i++) insight.spawn("fetcher", () => fetcher(i));
console.log(`ready ${address?.port}`);
