// Planted: a lock leaked by Promise.race. A handler gives up on the ledger lock
// after 100 ms and returns "busy", but its lock() stays queued; when the
// flusher releases the lock it is granted to that abandoned request, and the
// guard is never released (nothing references it). A worker that needs the
// ledger later waits forever.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const ledger = new Mutex([], { name: "ledger" });

insight.spawn("flusher", async () => {
  const guard = await ledger.lock();
  await sleep(300); // write the batch out
  guard.release();
});

insight.spawn("handler", async () => {
  const guard = await Promise.race([ledger.lock(), sleep(100).then(() => undefined)]);
  if (!guard) return "busy";
  guard.value.push("entry");
  guard.release();
  return "ok";
});

insight.spawn("worker", async () => {
  await sleep(1_000);
  const guard = await ledger.lock();
  guard.value.push("reconcile");
  guard.release();
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 1_300);
