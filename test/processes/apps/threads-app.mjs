// worker_threads with insight in every thread: the main thread and two
// worker threads each call init() with the same options (with APP_LISTEN_PORT,
// the same port named in code: init({ listenPort })). Each worker thread
// runs a named job ("thread-job-<threadId>"). The main thread prints
// "ready <pid>" once both threads are up.
import { isMainThread, parentPort, threadId, Worker } from "node:worker_threads";
import * as insight from "async-insight";
import { sleep } from "async-insight/sync";

await insight.init(process.env.APP_LISTEN_PORT ? { listenPort: Number(process.env.APP_LISTEN_PORT) } : {}).ready;

if (isMainThread) {
  let up = 0;
  for (let i = 0; i < 2; i++) {
    const worker = new Worker(new URL(import.meta.url));
    worker.on("message", (message) => {
      if (message === "ready" && ++up === 2) console.log(`ready ${process.pid}`);
    });
  }
} else {
  insight.spawn(`thread-job-${threadId}`, async () => {
    await sleep(600_000);
  });
  parentPort.postMessage("ready");
}
