// Healthy: a task consumes a Readable stream with for await; the producer
// (a module-level timer standing in for a slow upstream) pushes a chunk every
// five seconds.
import { Readable } from "node:stream";
import * as insight from "async-insight";

const address = await insight.init().ready;
const upstream = new Readable({ read() {}, objectMode: true });
let sent = 0;
setInterval(() => upstream.push({ seq: ++sent }), 5_000);

insight.spawn("stream-consumer", async () => {
  for await (const chunk of upstream) console.log(`chunk ${chunk.seq}`);
});

console.log(`ready ${address?.port}`);
