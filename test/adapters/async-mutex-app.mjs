// An app on async-mutex (issue 15 adapters test): a task holds a Mutex until the test pokes stdin, another
// waits for it (acquire), a third through runExclusive, a fourth waits for it to be free (waitForUnlock); a Semaphore of 2 is held by two tasks and a third waits.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import { Mutex, Semaphore } from "async-mutex";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const lock = new Mutex();
const permits = new Semaphore(2);
let open;
const gate = new Promise((resolve) => (open = resolve));

async function holder() {
  const release = await lock.acquire(); // await: holder
  await gate;
  release();
}

async function waiter() {
  const release = await lock.acquire(); // await: waiter
  release();
}

async function exclusive() {
  await lock.runExclusive(() => "report"); // await: exclusive
}

async function watcher() {
  await lock.waitForUnlock(); // await: unlock watcher
}

async function permitUser() {
  const [, release] = await permits.acquire(); // await: permit holder
  await gate;
  release();
}

async function permitWaiter() {
  const [, release] = await permits.acquire(1); // await: permit waiter
  release();
}

await new Promise((resolve) => setImmediate(resolve));
const h = insight.spawn("holder", holder);
await new Promise((resolve) => setImmediate(resolve));
const w = insight.spawn("waiter", waiter);
const x = insight.spawn("exclusive", exclusive);
const u = insight.spawn("unlock-watcher", watcher);
const p1 = insight.spawn("permit-1", permitUser);
const p2 = insight.spawn("permit-2", permitUser);
await new Promise((resolve) => setImmediate(resolve));
const pw = insight.spawn("permit-waiter", permitWaiter);
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { h: h.id, w: w.id, x: x.id, u: u.id, p1: p1.id, p2: p2.id, pw: pw.id } })}\n`);
process.stdin.on("data", () => open());
setInterval(() => {}, 1000);
