// Healthy: long polling where the handler parks the response object itself:
// GET /wait returns at once, leaving its response open in a module-level list;
// POST /publish (sent by a client in the same process every six seconds) ends
// every parked response. The GET requests wait with no promise at all, while
// a metrics task idles between flushes (so the GC proof sweeps meanwhile).
import http from "node:http";
import * as insight from "async-insight";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const parked = [];
insight.spawn("metrics-flush", async () => {
  for (;;) await sleep(20_000);
});

const server = http.createServer((request, response) => {
  if (request.method === "POST") {
    for (const waiting of parked.splice(0)) waiting.end("published\n");
    response.end("ok\n");
    return;
  }
  parked.push(response);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: true });
  const poll = () =>
    http
      .get({ port, path: "/wait", agent }, (res) => res.resume().on("end", () => (console.log("long poll answered"), poll())))
      .on("error", () => setTimeout(poll, 100));
  poll();
  setInterval(() => http.request({ port, method: "POST", path: "/publish" }, (res) => res.resume()).end(), 6_000);
  console.log(`ready ${address?.port}`);
});
