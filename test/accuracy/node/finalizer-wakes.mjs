// Healthy: a pool hands out leases and reclaims the ones their users forgot
// with a FinalizationRegistry; a task waiting for a free slot is woken by
// that finalizer (its resolver is the registry's held value), which runs
// after a full GC. The pool's users forget a lease every five seconds, and
// the app itself collects (it runs with the GC exposed, as some services do).
import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import * as insight from "async-insight";

const address = await insight.init().ready;
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const reclaimer = new FinalizationRegistry((wake) => wake());
http.createServer((_, response) => response.end()).listen(0, "127.0.0.1");

function leaseForgottenLater() {
  return new Promise((resolve) => {
    let lease = { slot: 1 };
    reclaimer.register(lease, resolve);
    setTimeout(() => {
      lease = undefined;
      gc();
    }, 5_000);
  });
}

insight.spawn("slot-waiter", async () => {
  for (let n = 1; ; n++) {
    await leaseForgottenLater();
    console.log(`slot ${n} reclaimed`);
  }
});

console.log(`ready ${address?.port}`);
