// Healthy: a log rotator waits on a Notify that a SIGUSR2 handler triggers, the
// way operators ask a service to reopen its files. The signal arrives every two
// seconds (here the process sends it to itself, as `kill -USR2` would).
import * as insight from "async-insight";
import { Notify } from "async-insight/sync";

const address = await insight.init().ready;
const rotate = new Notify({ name: "rotate_logs" });
let generation = 0;

process.on("SIGUSR2", () => rotate.notifyOne());

insight.spawn("log-rotator", async () => {
  for (;;) {
    await rotate.notified();
    generation += 1;
  }
});

setInterval(() => process.kill(process.pid, "SIGUSR2"), 2_000);
console.log(`ready ${address?.port}`);
