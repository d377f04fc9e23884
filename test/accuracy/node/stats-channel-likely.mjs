// Planted, formed after the console attaches, through long-lived module-scope
// primitives: the producer sends each event while holding the stats lock; the
// consumer, the only task that receives events, takes the stats lock for a
// snapshot after 2.5 s. The channel is full and the producer waits on it
// holding the lock the consumer waits for. Other code could in principle still
// receive from `events`, so this is a likely deadlock, not a proven one.
import * as insight from "async-insight";
import { Channel, Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const stats = new Mutex({ count: 0 }, { name: "stats" });
const events = new Channel(1, { name: "events" });
const snapshotAt = Date.now() + 2_500;

insight.spawn("producer", async () => {
  for (let i = 0; ; i++) {
    const guard = await stats.lock();
    guard.value.count += 1;
    await sleep(10);
    await events.send({ i, count: guard.value.count });
    guard.release();
  }
});

insight.spawn("consumer", async () => {
  for (;;) {
    const event = await events.recv();
    if (Date.now() >= snapshotAt) {
      await sleep(500); // format the event first
      const guard = await stats.lock();
      if (guard.value.count < event.count) throw new Error("stale");
      guard.release();
    }
  }
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
