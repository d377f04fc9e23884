// Healthy: a task waits for a job-done event; the emitter's listener (set up
// by the task) hops through process.nextTick and queueMicrotask before it
// resolves, as batching layers do. A module-level timer emits every five
// seconds.
import { EventEmitter } from "node:events";
import * as insight from "async-insight";

const address = await insight.init().ready;
const jobs = new EventEmitter();
let seq = 0;
setInterval(() => jobs.emit("done", ++seq), 5_000);

insight.spawn("job-watcher", async () => {
  for (;;) {
    const id = await new Promise((resolve) => {
      jobs.once("done", (n) => process.nextTick(() => queueMicrotask(() => resolve(n))));
    });
    console.log(`job ${id} done`);
  }
});

// The same hop, with the listener added outside the task (by the module) and the task's resolver kept in a slot.
let slot;
jobs.on("done", (n) => process.nextTick(() => queueMicrotask(() => slot?.(n))));
insight.spawn("slot-watcher", async () => {
  for (;;) console.log(`slot ${await new Promise((resolve) => (slot = resolve))}`);
});

console.log(`ready ${address?.port}`);
