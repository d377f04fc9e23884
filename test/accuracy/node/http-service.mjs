// Healthy: an HTTP service whose handlers take a session lock and queue audit
// events to a background writer over a bounded channel; a client in the same
// process keeps calling it. Request tasks come and go all the time.
import http from "node:http";
import * as insight from "async-insight";
import { Channel, Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const sessions = new Mutex(new Map(), { name: "sessions" });
const audit = new Channel(8, { name: "audit" });

insight.spawn("audit-writer", async () => {
  for await (const event of audit) await sleep(event.length % 7);
});

const server = http.createServer(async (request, response) => {
  const guard = await sessions.lock();
  const hits = (guard.value.get(request.url) ?? 0) + 1;
  guard.value.set(request.url, hits);
  guard.release();
  await audit.send(`${request.method} ${request.url} ${hits}`);
  response.end(`${hits}\n`);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const call = (path) =>
    new Promise((resolve) => {
      http.get({ port, path, agent }, (res) => res.resume().on("end", resolve)).on("error", resolve);
    });
  for (let c = 0; c < 4; c++) {
    (async () => {
      for (let n = 0; ; n++) {
        await call(`/item/${n % 5}`);
        await sleep(20);
      }
    })();
  }
  console.log(`ready ${address?.port}`);
});
