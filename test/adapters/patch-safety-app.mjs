// Patch safety (issue 15 adapters test). Started with --import, and init() is called again: the patches
// must not stack. Then one pool is made to throw inside the adapter's bookkeeping (its `pending` getter,
// as a library version with other internals would): the app's acquires must still work, the adapter
// turns itself off, and says so once on NODE_DEBUG=insight.
import genericPool from "generic-pool";
import * as insight from "async-insight";

insight.init();
insight.init();

const WRAPPED = Symbol.for("async-insight.adapters.wrapped");
const acquire = genericPool.Pool.prototype.acquire;
const layers = [acquire[WRAPPED] !== undefined, acquire[WRAPPED]?.[WRAPPED] !== undefined];

const pool = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 1 });
Object.defineProperty(pool, "pending", {
  get() {
    throw new Error("sabotaged pending");
  },
});
const results = [];
for (let i = 0; i < 3; i++) {
  const conn = await insight.spawn(`user-${i}`, () => pool.acquire());
  results.push(typeof conn);
  pool.release(conn);
}
const ready = insight.instance()?.ready;
const address = ready ? await ready : undefined;
process.stdout.write(`${JSON.stringify({ console: address?.port ?? 0, layers, results })}\n`);
setInterval(() => {}, 1000);
