// Healthy: a three-stage pipeline over bounded channels. The reader is fast and
// the store stage is slow, so both channels are full most of the time and the
// upstream stages keep waiting for capacity; every item still gets through.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const lines = new Channel(4, { name: "lines" });
const records = new Channel(2, { name: "records" });

insight.spawn("reader", async () => {
  for (let n = 0; ; n++) await lines.send(`line ${n}`);
});

insight.spawn("parser", async () => {
  for await (const line of lines) {
    await records.send({ line, fields: line.split(" ") });
  }
});

insight.spawn("store", async () => {
  let stored = 0;
  for await (const record of records) {
    await sleep(15); // a slow write
    stored += record.fields.length > 0 ? 1 : 0;
  }
});

console.log(`ready ${address?.port}`);
