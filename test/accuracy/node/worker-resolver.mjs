// Healthy: jobs go to a long-lived worker thread; each caller's resolver waits
// in a module-level table until the worker's reply message (five seconds of
// work later) arrives on the listener the module installed once.
import { Worker } from "node:worker_threads";
import * as insight from "async-insight";

const address = await insight.init().ready;
const worker = new Worker(
  `const { parentPort } = require("node:worker_threads");
   parentPort.on("message", ({ id, n }) => setTimeout(() => parentPort.postMessage({ id, result: n * n }), 5000));`,
  { eval: true },
);
const waiting = new Map();
let nextId = 1;
worker.on("message", ({ id, result }) => {
  waiting.get(id)?.(result);
  waiting.delete(id);
});

function square(n) {
  const id = nextId++;
  worker.postMessage({ id, n });
  return new Promise((resolve) => waiting.set(id, resolve));
}

insight.spawn("squarer", async () => {
  for (let n = 1; ; n++) console.log(`square ${n} = ${await square(n)}`);
});

console.log(`ready ${address?.port}`);
