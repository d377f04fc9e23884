// Healthy: a task reads lines with readline from a stream that a slow writer
// (a log shipper, here a module-level timer) feeds every five seconds.
import { PassThrough } from "node:stream";
import readline from "node:readline";
import * as insight from "async-insight";

const address = await insight.init().ready;
const input = new PassThrough();
let n = 0;
setInterval(() => input.write(`line ${++n}\n`), 5_000);

insight.spawn("line-reader", async () => {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) console.log(`read ${line}`);
});

console.log(`ready ${address?.port}`);
