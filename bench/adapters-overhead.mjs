// Cost of the library adapters on the fast path (docs/adapters.md): CPU time per acquire+release on a free generic-pool,
// per p-queue add, per p-limit call, per async-mutex acquire+release, in a task, nobody watching. Run it with and without the adapters:
//   INSIGHT_ADAPTERS=off node --import async-insight/register bench/adapters-overhead.mjs
//   node --import async-insight/register bench/adapters-overhead.mjs
import genericPool from "generic-pool";
import PQueue from "p-queue";
import pLimit from "p-limit";
import { Mutex } from "async-mutex";
import * as insight from "async-insight";

const N = Number(process.env.N ?? 100000);
const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 4, min: 0 });
const queue = new PQueue({ concurrency: 4 });
const limit = pLimit(4);
const mutex = new Mutex();
const job = async () => 1;

async function run(name, fn) {
  for (let i = 0; i < 2000; i++) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const used = process.cpuUsage(start);
  const ns = ((used.user + used.system) * 1000) / N;
  return [name, ns];
}

const results = await insight.spawn("bench", async () => [
  await run("generic-pool acquire+release", async () => pool.release(await pool.acquire())),
  await run("p-queue add", () => queue.add(job)),
  await run("p-limit call", () => limit(job)),
  await run("async-mutex acquire+release", async () => (await mutex.acquire())()),
]);
process.stdout.write(`${results.map(([n, ns]) => `${n}: ${ns.toFixed(0)} ns cpu`).join("\n")}\n`);
process.exit(0);
