// A worker thread whose task sends into a full channel that nothing will
// ever receive from (the story's bug, inside a thread): only the garbage-
// collection proof can show it stuck. The main thread runs insight too.
// Prints "ready <pid>" once the thread has started its task.
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

await insight.init().ready;

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  worker.on("message", (message) => {
    if (message === "ready") console.log(`ready ${process.pid}`);
  });
} else {
  insight.spawn("thread-jobs", async () => {
    const jobs = new Channel(1, { name: "thread_jobs" });
    for (let i = 0; i < 3; i++) await jobs.send(i);
  });
  setInterval(() => {}, 60_000); // the thread's service loop
  parentPort.postMessage("ready");
}
