// Healthy: a task hands a job to a worker thread and awaits its reply message
// (two seconds of CPU work there) through a plain promise on the Worker's
// 'message' event; the Worker is referenced only by that wait.
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import * as insight from "async-insight";

const address = await insight.init().ready;
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (n) => {
  const until = Date.now() + 2000;
  let x = 0;
  while (Date.now() < until) x += Math.sqrt(n + x) % 7;
  parentPort.postMessage(n * 2);
});`;

insight.spawn("render-job", async () => {
  for (let n = 1; ; n++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.postMessage(n);
    const [doubled] = await once(worker, "message");
    await worker.terminate();
    if (doubled !== n * 2) throw new Error("wrong reply");
  }
});

console.log(`ready ${address?.port}`);
