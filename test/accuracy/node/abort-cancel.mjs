// Healthy: a supervisor cancels a subscriber's wait with an AbortController
// every two seconds (a resubscribe) and the subscriber starts a new wait. The
// channel it reads is quiet; the wait is broken from outside, not by a message.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const feed = new Channel(4, { name: "feed" });
let current = new AbortController();

insight.spawn("subscriber", async () => {
  for (;;) {
    try {
      await feed.recv({ signal: current.signal });
    } catch (error) {
      if (error?.name !== "AbortError") throw error;
    }
  }
});

insight.spawn("supervisor", async () => {
  for (;;) {
    await sleep(2_000);
    const old = current;
    current = new AbortController();
    old.abort();
  }
});

insight.spawn("publisher", async () => {
  for (let n = 0; ; n++) {
    await sleep(7_000);
    await feed.send(n);
  }
});

console.log(`ready ${address?.port}`);
