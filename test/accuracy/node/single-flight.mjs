// Healthy: a single-flight cache. The first task to miss starts the load
// (five seconds) and stores its promise; the others await that same promise,
// made inside another task, one of them by returning it straight from its fn.
import * as insight from "async-insight";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const inflight = new Map();
let generation = 0;

function load(key) {
  let entry = inflight.get(key);
  if (entry === undefined) {
    entry = insight.spawn("loader", async () => {
      await sleep(5_000);
      inflight.delete(key);
      return `${key}@${++generation}`;
    }).result;
    inflight.set(key, entry);
  }
  return entry;
}

insight.spawn("first-reader", async () => {
  for (;;) console.log(`first ${await load("users")}`);
});

insight.spawn("second-reader", async () => {
  await sleep(100);
  for (;;) console.log(`second ${await load("users")}`);
});

async function third() {
  for (;;) {
    const value = await insight.spawn("third-reader", () => load("users"));
    console.log(`third ${value}`);
  }
}
void third();

console.log(`ready ${address?.port}`);
