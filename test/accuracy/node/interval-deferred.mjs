// Healthy: a scheduler's tick resolves the deferred a task parked in a
// module-level slot. One tick runs on an unref'd interval (a housekeeping
// timer that must not keep the process alive; a server does), one on a
// ref'd interval. Each tick comes every five seconds. A third task sleeps on
// an unref'd one-shot timer it made itself.
import http from "node:http";
import * as insight from "async-insight";

const address = await insight.init().ready;
const slots = { housekeeping: undefined, flush: undefined };

function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

setInterval(() => slots.housekeeping?.resolve(Date.now()), 5_000).unref();
setInterval(() => slots.flush?.resolve(Date.now()), 5_000);
// What keeps the process alive besides the ref'd interval: a server.
http.createServer((_, response) => response.end()).listen(0, "127.0.0.1");

for (const name of ["housekeeping", "flush"]) {
  insight.spawn(name, async () => {
    for (let n = 1; ; n++) {
      slots[name] = deferred();
      await slots[name].promise;
      console.log(`${name} tick ${n}`);
    }
  });
}

insight.spawn("unref-sleeper", async () => {
  for (let n = 1; ; n++) {
    await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
    console.log(`unref sleep ${n} over`);
  }
});

console.log(`ready ${address?.port}`);
