// Planted, formed after the console attaches: two single-permit Semaphores
// (a GPU and a disk slot). For 2.5 s the renderer and the exporter both take
// the GPU first; then the exporter switches to taking the disk first, and each
// holds the permit the other waits for. Both wait at the second acquire();
// the exporter queued at the first one, on the same semaphore, during warm-up.
import * as insight from "async-insight";
import { Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const gpu = new Semaphore(1, { name: "gpu" });
const disk = new Semaphore(1, { name: "disk" });
const switchAt = Date.now() + 2_500;

async function both(first, second) {
  const a = await first.acquire(); // site: first-acquire
  await sleep(300);
  const b = await second.acquire(); // site: second-acquire
  b.release();
  a.release();
}

insight.spawn("render", async () => {
  for (;;) await both(gpu, disk);
});

insight.spawn("export", async () => {
  while (Date.now() < switchAt) await both(gpu, disk);
  for (;;) await both(disk, gpu);
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
