// Planted: a lost wake-up. The initializer announces "ready" with
// notifyWaiters(), which wakes only the tasks already waiting and stores
// nothing; the worker starts waiting just after, and nothing will ever notify
// again. The Notify was created by a function of the main module and handed to
// the two tasks only, so nothing else can reach it.
import * as insight from "async-insight";
import { Notify, sleep } from "async-insight/sync";

const address = await insight.init().ready;

function start() {
  const ready = new Notify({ name: "ready" });
  insight.spawn("initializer", async () => {
    await sleep(50); // load the configuration
    ready.notifyWaiters();
  });
  insight.spawn("worker", async () => {
    await sleep(100); // open the database first
    await ready.notified();
  });
}

start();
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 300);
