// A service on generic-pool (issue 15 adapters test): two "transfer" tasks each hold one of the pool's two
// connections and ask for a second one (the nested-acquire deadlock); a third waits, with a timeout, on another
// pool whose only connection a "holder" task keeps until the test pokes stdin.
// The test reads this file's line numbers: the awaits it checks stay on lines with their marker comment.
import genericPool from "generic-pool";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

const factory = { create: async () => ({}), destroy: async () => {} };
const pool = genericPool.createPool(factory, { max: 2, min: 0 }); // create: orders
const timed = genericPool.createPool(factory, { max: 1, min: 0, acquireTimeoutMillis: 600000 }); // create: timed

async function transfer() {
  const first = await pool.acquire(); // await: first
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = await pool.acquire(); // await: second
  pool.release(second);
  pool.release(first);
}

async function _quick() {
  const conn = await timed.acquire(); // await: quick
  pool.release(conn);
  timed.release(conn);
}

async function blockedWithTimeout() {
  const conn = await timed.acquire(); // await: timed
  timed.release(conn);
}

let held;
const holder = insight.spawn("holder", async () => {
  held = await timed.acquire();
});
await holder;
const tasks = { a: insight.spawn("transfer-a", transfer), b: insight.spawn("transfer-b", transfer) };
const waiter = insight.spawn("timed-waiter", blockedWithTimeout);
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { a: tasks.a.id, b: tasks.b.id, waiter: waiter.id, holder: holder.id } })}\n`);
process.stdin.on("data", () => {
  const releaser = insight.spawn("releaser", () => timed.release(held));
  process.stdout.write(`${JSON.stringify({ releaser: releaser.id })}\n`);
});
setInterval(() => {}, 1000);
