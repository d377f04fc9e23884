// Healthy: a config reloader waits on a Notify that a file watcher triggers
// every two and a half seconds. The reloader is idle between notifications,
// far longer than a second, and is always woken again.
import * as insight from "async-insight";
import { Notify, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const changed = new Notify({ name: "config_changed" });
let config = { version: 0 };

insight.spawn("reloader", async () => {
  for (;;) {
    await changed.notified();
    config = { version: config.version + 1 };
  }
});

insight.spawn("watcher", async () => {
  for (;;) {
    await sleep(2_500);
    changed.notifyOne();
  }
});

console.log(`ready ${address?.port}`);
