// A worker on ioredis (issue 15 adapters test) against the real redis-server in REDIS_URL: a "worker"
// task blocks in BLPOP on an empty list; a "reader" task's GET waits in the offline queue of a
// connection made with lazyConnect to a port nobody listens on (REDIS_DOWN_PORT) until the test pokes
// stdin, which pushes a job.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import { Redis } from "ioredis";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const url = new URL(process.env.REDIS_URL);
const queue = new Redis({ host: url.hostname, port: Number(url.port) });
const producer = new Redis({ host: url.hostname, port: Number(url.port) });
const down = new Redis({ host: "127.0.0.1", port: Number(process.env.REDIS_DOWN_PORT), lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 100 });
down.on("error", () => {});
await queue.del("jobs");

const worker = insight.spawn("worker", async () => {
  const job = await queue.blpop("jobs", 0); // await: blpop
  return job;
});
const reader = insight.spawn("reader", async () => {
  const value = await down.get("settings"); // await: offline
  return value;
});

const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { worker: worker.id, reader: reader.id } })}\n`);
process.stdin.on("data", () => {
  const pusher = insight.spawn("pusher", () => producer.rpush("jobs", "job-1"));
  process.stdout.write(`${JSON.stringify({ pusher: pusher.id })}\n`);
});
setInterval(() => {}, 1000);
