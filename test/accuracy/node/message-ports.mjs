// Healthy: cache invalidations arrive on a BroadcastChannel and on a
// MessageChannel port; the tasks that wait for them hold the receiving ends
// only in their own closures. A module-level timer sends on the other ends
// every five seconds.
import { once } from "node:events";
import { BroadcastChannel, MessageChannel } from "node:worker_threads";
import * as insight from "async-insight";

const address = await insight.init().ready;
const announce = new BroadcastChannel("invalidations");
const { port1, port2 } = new MessageChannel();
let n = 0;
setInterval(() => {
  n += 1;
  announce.postMessage(n);
  port2.postMessage(n);
}, 5_000);

insight.spawn("broadcast-listener", async () => {
  const inbox = new BroadcastChannel("invalidations");
  for (;;) {
    const [event] = await once(inbox, "message");
    console.log(`broadcast ${event.data}`);
  }
});

insight.spawn("port-listener", async () => {
  const port = port1;
  for (;;) {
    const [value] = await once(port, "message");
    console.log(`port ${value}`);
  }
});

console.log(`ready ${address?.port}`);
