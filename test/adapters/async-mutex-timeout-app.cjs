// The CommonJS twin of async-mutex-timeout-app.mjs (async-mutex's CJS build), same lines.
// build (async-mutex-timeout-app.cjs requires this file's twin). A task holds each lock until the test
// pokes stdin; one waiter waits with a long timeout, another with a short one that gives up.
const { Mutex, withTimeout } = require("async-mutex");
const insight = require("async-insight");

if (process.env.APP_INIT === "1") insight.init();

const long = withTimeout(new Mutex(), 600000);
const short = withTimeout(new Mutex(), 300);
let open;
const gate = new Promise((resolve) => (open = resolve));

async function holder(lock) {
  const release = await lock.acquire(); // await: holder
  await gate;
  release();
}

async function patient() {
  const release = await long.acquire(); // await: patient
  release();
}

async function impatient() {
  try {
    await short.acquire(); // await: impatient
    return "locked";
  } catch (error) {
    return error.message;
  }
}

(async () => { await new Promise((resolve) => setImmediate(resolve));
const h1 = insight.spawn("holder-long", () => holder(long));
const h2 = insight.spawn("holder-short", () => holder(short));
await new Promise((resolve) => setImmediate(resolve));
const p = insight.spawn("patient", patient);
const i = insight.spawn("impatient", impatient);
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, tasks: { h1: h1.id, h2: h2.id, p: p.id, i: i.id } })}\n`);
i.then((outcome) => process.stdout.write(`${JSON.stringify({ impatient: outcome })}\n`));
process.stdin.on("data", () => open());
setInterval(() => {}, 1000); })();
