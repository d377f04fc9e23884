// Package matching by name (issue 15 adapters test): the app lives where paths contain adapter
// package names as parts of other words. FIXTURE_DIR is a folder named "tarnowski-…" with
// node_modules/async-mutex (a copy of the real one) and node_modules/pg-upgrade, and a local
// module upgrade.cjs. async-mutex, required by its absolute path, must be patched (its path
// contains "tarn" but it is not tarn); pg-upgrade and ./upgrade.cjs (which contain "pg") must not be.
const { join } = require("node:path");
const insight = require("async-insight");

if (process.env.APP_INIT === "1") insight.init();

const dir = process.env.FIXTURE_DIR;
const { Mutex } = require(join(dir, "node_modules", "async-mutex"));
const upgrade = require(join(dir, "upgrade.cjs"));
const pgUpgrade = require(join(dir, "node_modules", "pg-upgrade"));

(async () => {
  const lock = new Mutex();
  let open;
  const gate = new Promise((resolve) => (open = resolve));
  const holder = insight.spawn("holder", async () => {
    const release = await lock.acquire();
    await gate;
    release();
  });
  await new Promise((resolve) => setImmediate(resolve));
  const waiter = insight.spawn("waiter", async () => {
    const release = await lock.acquire(); // await: waiter
    release();
  });
  const untouched = [upgrade, pgUpgrade].map((m) => m.Pool.prototype.connect === m.connect && m.Pool.prototype.query === m.query);
  const ready = insight.instance()?.ready;
  const address = ready ? await ready : undefined;
  process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, untouched, tasks: { holder: holder.id, waiter: waiter.id } })}\n`);
  process.stdin.on("data", () => open());
  setInterval(() => {}, 1000);
})();
