// What insight's poll hooks (packages/insight/src/private/poll-hooks.ts: a
// promise `before` and `after` hook, two clock reads and one
// AsyncLocalStorage.getStore()) cost per awaited call, in isolation: an async
// function that awaits twice, awaited 200,000 times inside an
// AsyncLocalStorage context, with the hooks off and on in alternate batches.
//
//   node bench/promise-hooks-cost.mjs        (and with node22Bin / node24Bin)
import { AsyncLocalStorage } from "node:async_hooks";
import { promiseHooks } from "node:v8";

const CALLS = 200_000;
const storage = new AsyncLocalStorage();

async function unit() {
  await Promise.resolve();
  await null;
  return { ok: 1 };
}

async function batch() {
  for (let i = 0; i < CALLS; i++) await unit();
}

let startedAt = -1;
let _busy = 0;
const before = () => {
  startedAt = performance.now();
};
const after = () => {
  _busy += performance.now() - startedAt;
  storage.getStore();
};

async function time(hooks) {
  const stops = hooks ? [promiseHooks.onBefore(before), promiseHooks.onAfter(after)] : [];
  const start = performance.now();
  await storage.run({}, batch);
  const elapsed = performance.now() - start;
  for (const stop of stops) stop();
  return elapsed;
}

const off = [];
const on = [];
for (let round = 0; round < 7; round++) {
  off.push(await time(false));
  on.push(await time(true));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ns = (ms) => (ms * 1e6) / CALLS;
console.log(
  `node ${process.version}: ${ns(median(off)).toFixed(0)} ns per call without the hooks, ${ns(median(on)).toFixed(0)} ns with them (+${(ns(median(on)) - ns(median(off))).toFixed(0)} ns)`,
);
