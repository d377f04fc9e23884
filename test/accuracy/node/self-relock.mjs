// Planted self-deadlock: a cache lookup holds the cache lock while it loads a
// missing entry; an alias entry loads by looking up its target, which locks the
// cache again. The resolver task waits for the lock it holds itself.
import * as insight from "async-insight";
import { Mutex } from "async-insight/sync";

const address = await insight.init().ready;
const cache = new Mutex(new Map(), { name: "cache" });

async function load(key) {
  if (key.startsWith("alias:")) return get(key.slice("alias:".length));
  return { key, size: key.length };
}

async function get(key) {
  const guard = await cache.lock();
  try {
    if (!guard.value.has(key)) guard.value.set(key, await load(key));
    return guard.value.get(key);
  } finally {
    guard.release();
  }
}

insight.spawn("resolver", () => get("alias:home"));
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 200);
