// Healthy: tasks call a slow upstream with fetch (undici) over a kept-alive
// loopback connection; the upstream answers after five seconds, streaming
// the body in two parts.
import http from "node:http";
import { once } from "node:events";
import * as insight from "async-insight";

const address = await insight.init().ready;
const upstream = http.createServer((_, response) => {
  setTimeout(() => {
    response.write("part-1,");
    setTimeout(() => response.end("part-2"), 4_000);
  }, 5_000);
});
upstream.listen(0, "127.0.0.1");
await once(upstream, "listening");
const url = `http://127.0.0.1:${upstream.address().port}/quote`;

insight.spawn("quote-fetcher", async () => {
  for (let n = 1; ; n++) console.log(`quote ${n}: ${await (await fetch(url)).text()}`);
});

insight.spawn("quote-streamer", async () => {
  for (let n = 1; ; n++) {
    const response = await fetch(url);
    let body = "";
    for await (const chunk of response.body) body += Buffer.from(chunk).toString();
    console.log(`streamed ${n}: ${body}`);
  }
});

console.log(`ready ${address?.port}`);
