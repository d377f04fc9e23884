// Healthy: long polling. Each GET /events request waits on a Notify until the
// next batch of events is published, every ten seconds; a client in the same
// process keeps one long poll open at all times. The request tasks wait far
// longer than a second on a Notify nobody has notified yet.
import http from "node:http";
import * as insight from "async-insight";
import { Notify, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const published = new Notify({ name: "events_published" });
let batch = 0;

insight.spawn("publisher", async () => {
  for (;;) {
    await sleep(10_000);
    batch += 1;
    published.notifyWaiters();
  }
});

const server = http.createServer(async (request, response) => {
  await published.notified();
  response.end(`batch ${batch}\n`);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const poll = () => http.get({ port, path: "/events" }, (res) => res.resume().on("end", poll)).on("error", () => setTimeout(poll, 100));
  poll();
  console.log(`ready ${address?.port}`);
});
