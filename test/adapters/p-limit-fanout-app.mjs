// A healthy app on p-limit (issue 15 adapters test, needs --import): one "fanout" task runs three calls
// at once through a limiter of 2, each a plain timer wait, so two calls run and the third waits for a
// slot. The running calls free their slots by themselves (their timers), not by the task's own
// continuation: nothing is stuck. With NESTED=1 the real nested deadlock instead: two tasks each run a
// function through a limiter of 2 that itself calls the limiter from inside its slot.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import pLimit from "p-limit";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const limit = pLimit(2); // create: limiter
const io = () => new Promise((resolve) => setTimeout(resolve, 600_000));

await new Promise((resolve) => setImmediate(resolve));
const tasks = {};
if (process.env.NESTED === "1") {
  const outer = async () => {
    await new Promise((resolve) => setImmediate(resolve)); // both outer calls take their slots first
    await limit(io); // await: nested
  };
  tasks.nested = [insight.spawn("nested-a", () => limit(outer)).id, insight.spawn("nested-b", () => limit(outer)).id];
} else {
  tasks.fanout = insight.spawn("fanout", async () => {
    await Promise.all([limit(io), limit(io), limit(io)]); // await: fanout
  }).id;
}
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks })}\n`);
setInterval(() => {}, 1000);
