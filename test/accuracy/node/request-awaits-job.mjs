// Healthy: request handlers await plain promises for seconds: one awaits a
// spawned export job (five seconds), one waits in a module-level list of
// subscribers that a publisher task resolves every six seconds. A client in
// the same process keeps both requests going.
import http from "node:http";
import * as insight from "async-insight";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const subscribers = [];

insight.spawn("publisher", async () => {
  for (let n = 1; ; n++) {
    await sleep(6_000);
    for (const notify of subscribers.splice(0)) notify(n);
  }
});

const server = http.createServer(async (request, response) => {
  if (request.url === "/export") {
    const rows = await insight.spawn("export-job", async () => {
      await sleep(5_000);
      return 42;
    });
    response.end(`rows ${rows}\n`);
    return;
  }
  const batch = await new Promise((resolve) => subscribers.push(resolve));
  response.end(`batch ${batch}\n`);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const loop = (path) =>
    http
      .get({ port, path }, (res) => res.resume().on("end", () => (console.log(`${path} answered`), loop(path))))
      .on("error", () => setTimeout(() => loop(path), 100));
  loop("/export");
  loop("/subscribe");
  console.log(`ready ${address?.port}`);
});
