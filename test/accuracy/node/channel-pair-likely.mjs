// Planted, formed after the console attaches, through module-scope channels:
// two services talk over a pair of bounded channels, each the only reader of
// its inbox. After 2.5 s both send a burst before reading: each waits for room
// in the other's full inbox while the other waits for room in its own. Other
// code could still read the inboxes in principle: a likely deadlock.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const toBilling = new Channel(2, { name: "to_billing" });
const toOrders = new Channel(2, { name: "to_orders" });
const burstAt = Date.now() + 2_500;

async function service(inbox, outbox) {
  for (let n = 0; Date.now() < burstAt; n++) {
    await outbox.send(n); // one message, then read one
    await inbox.recv();
    await sleep(50);
  }
  for (let n = 0; n < 10; n++) await outbox.send(n); // the burst: read afterwards
  for await (const message of inbox) if (message < 0) break;
}

insight.spawn("orders", () => service(toOrders, toBilling));
insight.spawn("billing", () => service(toBilling, toOrders));
const service_ = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
