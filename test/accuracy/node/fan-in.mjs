// Healthy: fan-in. An aggregator task creates a channel and starts three sensor
// tasks that call `send` on the channel object itself (no Sender handles). Each
// sensor reports every 1.2 s, so the aggregator waits on the channel for long
// stretches while items keep arriving.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;

async function sensor(name, readings, period) {
  for (let n = 0; ; n++) {
    await sleep(period);
    await readings.send({ name, value: n });
  }
}

insight.spawn("aggregator", async () => {
  const readings = new Channel(8, { name: "readings" });
  insight.spawn("sensor", () => sensor("north", readings, 1_200));
  insight.spawn("sensor", () => sensor("south", readings, 1_300));
  insight.spawn("sensor", () => sensor("east", readings, 1_700));
  const latest = new Map();
  for await (const reading of readings) latest.set(reading.name, reading.value);
});

console.log(`ready ${address?.port}`);
