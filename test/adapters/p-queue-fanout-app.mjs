// A healthy app on p-queue (issue 15 adapters test): one "fanout" task adds three jobs at once to a
// queue of concurrency 2, each a plain timer wait, so two jobs run and the third waits for a slot. The
// running jobs free their slots by themselves (their timers), not by the task's own continuation:
// nothing is stuck. With NESTED=1 the real nested deadlock instead: two tasks each add a job to a
// queue of concurrency 2 that itself adds to the queue from inside its slot.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import PQueue from "p-queue";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const queue = new PQueue({ concurrency: 2 });
const io = () => new Promise((resolve) => setTimeout(resolve, 600_000));

await new Promise((resolve) => setImmediate(resolve));
const tasks = {};
if (process.env.NESTED === "1") {
  const outer = async () => {
    await new Promise((resolve) => setImmediate(resolve)); // both outer calls take their slots first
    await queue.add(io); // await: nested
  };
  tasks.nested = [insight.spawn("nested-a", () => queue.add(outer)).id, insight.spawn("nested-b", () => queue.add(outer)).id];
} else {
  tasks.fanout = insight.spawn("fanout", async () => {
    await Promise.all([queue.add(io), queue.add(io), queue.add(io)]); // await: fanout
  }).id;
}
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks })}\n`);
setInterval(() => {}, 1000);
