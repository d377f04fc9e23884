// Healthy: a p-queue (concurrency 3) at full concurrency all the time. Six
// workers each run 1.2 to 1.8 s upstream calls through it in a loop, and a
// batch task fans eight calls out through the same queue with Promise.all.
// Every slot is doing I/O that ends; a slot comes back every half second or so.
import * as insight from "async-insight";
import PQueue from "p-queue";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const queue = new PQueue({ concurrency: 3 });

async function worker(id) {
  for (let n = 0; ; n++) await queue.add(() => sleep(1_200 + ((id * 7 + n * 3) % 7) * 100)); // the HTTP call
}

async function batch() {
  for (;;) await Promise.all(Array.from({ length: 8 }, () => queue.add(() => sleep(900))));
}

for (let i = 0; i < 6; i++) insight.spawn("worker", () => worker(i));
insight.spawn("batch", batch);
console.log(`ready ${address?.port}`);
