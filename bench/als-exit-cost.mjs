// What it costs to register a settle callback outside any task, with
// AsyncLocalStorage.exit() and with run(undefined), per Node version
// (packages/insight/src/private/task-context.ts, outsideTasks):
//
//   node bench/als-exit-cost.mjs [calls=100000]
//
// On Node 20 and 22 (AsyncLocalStorage on async_hooks) exit() disables the
// storage for the call, and when it is the process's only one that turns
// Node's async hooks off and on again; run(undefined) only swaps the store.
// Prints the nanoseconds per call of each, twice (the first round warms up),
// and the store the callback then runs with (undefined in both).
import { AsyncLocalStorage } from "node:async_hooks";

const calls = Number(process.argv[2] ?? 100_000);
const storage = new AsyncLocalStorage();
const pending = new Promise(() => {});
const end = () => {};
const perCall = (fn) => {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - started) / calls;
};

await storage.run({ task: 1 }, async () => {
  for (let round = 1; round <= 2; round++) {
    const exit = perCall(() => storage.exit(() => pending.then(end, end)));
    const run = perCall(() => storage.run(undefined, () => pending.then(end, end)));
    console.log(`${process.version} round ${round}: exit() ${exit.toFixed(0)} ns, run(undefined) ${run.toFixed(0)} ns per call`);
  }
  const seen = await new Promise((resolve) => storage.run(undefined, () => Promise.resolve().then(() => resolve(storage.getStore()))));
  console.log(`store in a callback registered under run(undefined): ${seen}`);
});
