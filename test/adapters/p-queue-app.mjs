// An app on p-queue (issue 15 adapters test). Two tasks each add a job that runs until the test pokes
// stdin, filling the queue's two slots; a third task's add waits for a slot. A second queue has a timeout.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import PQueue from "p-queue";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const queue = new PQueue({ concurrency: 2 });
const timed = new PQueue({ concurrency: 1, timeout: 600000 });
let open;
const gate = new Promise((resolve) => (open = resolve));

async function worker() {
  await queue.add(() => gate); // await: slot holder
}

async function latecomer() {
  await queue.add(async () => "done"); // await: queued
}

async function timedUser() {
  await timed.add(() => gate); // await: timed
}

// Work arrives after start-up, as requests do.
await new Promise((resolve) => setImmediate(resolve));
const a = insight.spawn("worker-a", worker);
const b = insight.spawn("worker-b", worker);
const c = insight.spawn("latecomer", latecomer);
const t = insight.spawn("timed", timedUser);
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { a: a.id, b: b.id, c: c.id, t: t.id } })}\n`);
process.stdin.on("data", () => open());
setInterval(() => {}, 1000);
