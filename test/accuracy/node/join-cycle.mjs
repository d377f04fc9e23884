// Planted, formed after the console attaches: after a 2.5 s start-up the
// registrar takes the registry lock, spawns a child to validate the entry and
// awaits it while still holding the lock; the child needs the registry lock.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const registry = new Mutex(new Map(), { name: "registry" });

async function validate(name) {
  const guard = await registry.lock();
  const taken = guard.value.has(name);
  guard.release();
  return !taken;
}

insight.spawn("registrar", async () => {
  await sleep(2_500); // start-up
  const guard = await registry.lock();
  const ok = await insight.spawn("validate", () => validate("svc-a"));
  if (ok) guard.value.set("svc-a", Date.now());
  guard.release();
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
