// Healthy: a task waits with Atomics.waitAsync on shared memory for a worker
// thread to publish the next frame; the worker publishes one every five
// seconds and notifies. Only V8's waiter list holds the wait's promise.
import { Worker } from "node:worker_threads";
import http from "node:http";
import * as insight from "async-insight";

const address = await insight.init().ready;
const shared = new Int32Array(new SharedArrayBuffer(8));
new Worker(
  `const { workerData } = require("node:worker_threads");
   const cells = new Int32Array(workerData);
   setInterval(() => { Atomics.add(cells, 0, 1); Atomics.notify(cells, 0); }, 5000);`,
  { eval: true, workerData: shared.buffer },
).unref();
// The service's server keeps the process alive.
http.createServer((_, response) => response.end()).listen(0, "127.0.0.1");

insight.spawn("frame-waiter", async () => {
  for (;;) {
    const seen = Atomics.load(shared, 0);
    const result = Atomics.waitAsync(shared, 0, seen);
    if (result.async) await result.value;
    console.log(`frame ${Atomics.load(shared, 0)}`);
  }
});

console.log(`ready ${address?.port}`);
