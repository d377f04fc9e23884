// Healthy: a task waits on a local channel fed by a signal handler (an admin
// sends SIGHUP to trigger a reload). No signal arrives while the check runs,
// so the reloader waits the whole time; the handler, registered on `process`,
// can send at any moment.
import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

const address = await insight.init().ready;

function reloadRequests() {
  const requests = new Channel(1, { name: "reload_requests" });
  process.on("SIGHUP", () => requests.trySend(Date.now()));
  return requests;
}

insight.spawn("reloader", async () => {
  const requests = reloadRequests();
  for await (const at of requests) if (at < 0) break;
});

console.log(`ready ${address?.port}`);
setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
