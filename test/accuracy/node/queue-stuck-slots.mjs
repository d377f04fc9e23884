// Planted: a p-queue (concurrency 2) whose two running jobs await a reply
// nothing can ever deliver (the resolver is parked in a map local to the
// call); two more jobs queue behind them. The running jobs are provably stuck
// (never-woken) and the queue's slots stay taken.
import * as insight from "async-insight";
import PQueue from "p-queue";

const address = await insight.init().ready;
const queue = new PQueue({ concurrency: 2 });

function callUpstream() {
  const pending = new Map(); // bug: should be the connection's map
  return new Promise((resolve) => pending.set(1, resolve));
}

for (let i = 0; i < 2; i++) insight.spawn("sync-job", () => queue.add(() => callUpstream()));
setTimeout(() => {
  for (let i = 0; i < 2; i++) insight.spawn("queued-job", () => queue.add(async () => undefined));
}, 200);

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 4_000);
