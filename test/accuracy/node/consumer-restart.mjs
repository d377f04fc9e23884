// Healthy: a supervised consumer. The consumer recycles itself after 20 items
// (it returns, as workers do to bound their memory); the supervisor starts a
// fresh one 2.5 s later. Meanwhile the producer waits on the full channel,
// whose only known receiver has finished: a new receiver is on its way.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const queue = new Channel(2, { name: "queue" });

insight.spawn("producer", async () => {
  for (let n = 0; ; n++) await queue.send(n);
});

async function consume() {
  for (let handled = 0; handled < 20; handled++) {
    await queue.recv();
    await sleep(10);
  }
}

insight.spawn("supervisor", async () => {
  for (;;) {
    await insight.spawn("consumer", consume);
    await sleep(2_500); // back-off before the restart
  }
});

console.log(`ready ${address?.port}`);
