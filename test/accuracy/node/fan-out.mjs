// Healthy: fan-out and back. A dispatcher pushes jobs into one bounded channel
// that four workers read from; each worker sends its result to a collector over
// a second channel through its own cloned Sender. The job channel is often full.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const work = new Channel(4, { name: "work" });
const results = new Channel(Infinity, { name: "results" });
const resultSender = results.sender();

insight.spawn("dispatcher", async () => {
  for (let n = 0; ; n++) await work.send(n);
});

for (let w = 0; w < 4; w++) {
  const out = resultSender.clone();
  insight.spawn("worker", async () => {
    for await (const n of work) {
      await sleep(20 + w * 10);
      await out.send(n * n);
    }
  });
}

insight.spawn("collector", async () => {
  let sum = 0;
  for await (const square of results.receiver()) sum += square;
});

console.log(`ready ${address?.port}`);
