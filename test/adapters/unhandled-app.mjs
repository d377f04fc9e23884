// Unhandled rejections stay unhandled (issue 15 adapters test): promises the app drops, from every adapted
// library, reject as without insight, and the app's unhandledRejection handler sees each one. Run with and
// without `--import async-insight/register`; the test compares the two.
import genericPool from "generic-pool";
import { Mutex, withTimeout } from "async-mutex";
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Pool } from "tarn";

const seen = [];
process.on("unhandledRejection", (reason) => seen.push(`${reason?.constructor?.name}: ${reason?.message}`));

const queue = new PQueue({ concurrency: 1 });
queue.add(async () => {
  throw new Error("queued job failed");
});
const limit = pLimit(1);
limit(async () => {
  throw new Error("limited call failed");
});
const factory = { create: async () => ({}), destroy: async () => {} };
const pool = genericPool.createPool(factory, { max: 1, acquireTimeoutMillis: 50 });
await pool.acquire();
pool.acquire();
const tarn = new Pool({ ...factory, destroy: () => {}, min: 0, max: 1, acquireTimeoutMillis: 50 });
await tarn.acquire().promise;
tarn.acquire().promise;
const mutex = new Mutex();
await mutex.acquire();
withTimeout(mutex, 50).acquire();

await new Promise((resolve) => setTimeout(resolve, 500));
process.stdout.write(`${JSON.stringify(seen.sort())}\n`);
process.exit(0);
