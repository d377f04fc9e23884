// An app on tarn, knex's pool (issue 15 adapters test). Two tasks hold the pool's two resources until the
// test pokes stdin; a third task's acquire waits. The test reads this file's line numbers.
import { Pool } from "tarn";
import * as insight from "async-insight";

if (process.env.APP_INIT === "1") insight.init();

let made = 0;
const pool = new Pool({ create: async () => ({ id: ++made }), destroy: () => {}, min: 0, max: 2, acquireTimeoutMillis: 600000 }); // create: pool
let open;
const gate = new Promise((resolve) => (open = resolve));

async function holder() {
  const conn = await pool.acquire().promise; // await: holder
  await gate;
  pool.release(conn);
}

async function latecomer() {
  const conn = await pool.acquire().promise; // await: latecomer
  pool.release(conn);
}

await new Promise((resolve) => setImmediate(resolve));
const a = insight.spawn("holder-a", holder);
const b = insight.spawn("holder-b", holder);
await new Promise((resolve) => setTimeout(resolve, 50));
const c = insight.spawn("latecomer", latecomer);
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { a: a.id, b: b.id, c: c.id } })}\n`);
process.stdin.on("data", () => open());
setInterval(() => {}, 1000);
