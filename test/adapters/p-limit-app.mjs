// An app on p-limit (issue 15 adapters test; p-limit needs --import: docs/adapters.md). Two tasks run a
// function each through a limiter of 2 until the test pokes stdin; a third task's call waits for a slot.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import pLimit from "p-limit";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const limit = pLimit(2); // create: limiter
let open;
const gate = new Promise((resolve) => (open = resolve));

async function worker() {
  await limit(() => gate); // await: slot holder
}

async function latecomer() {
  const [result] = await limit.map([1], async (n) => n * 2); // await: queued
  return result;
}

await new Promise((resolve) => setImmediate(resolve));
const a = insight.spawn("worker-a", worker);
const b = insight.spawn("worker-b", worker);
const c = insight.spawn("latecomer", latecomer);
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { a: a.id, b: b.id, c: c.id } })}\n`);
process.stdin.on("data", () => open());
setInterval(() => {}, 1000);
