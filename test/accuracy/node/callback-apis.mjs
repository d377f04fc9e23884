// Healthy: tasks resumed by callback-style APIs wrapped in promises: a file
// read whose callback comes late (a slow disk, here a FIFO-like delay in a
// module-level request queue), and util.promisify over a callback API whose
// callbacks a module-level flusher runs every five seconds.
import { readFile } from "node:fs";
import { promisify } from "node:util";
import * as insight from "async-insight";

const address = await insight.init().ready;
const queued = [];
// A callback API: the callback runs when the next batch is flushed.
function lookup(key, callback) {
  queued.push(() => callback(null, `${key}=value`));
}
setInterval(() => {
  for (const run of queued.splice(0)) run();
}, 5_000);
const lookupAsync = promisify(lookup);

function readLater(path) {
  // The read is issued only when the disk queue drains (the next flush).
  return new Promise((resolve, reject) => {
    queued.push(() => readFile(path, "utf8", (error, text) => (error ? reject(error) : resolve(text))));
  });
}

insight.spawn("config-reader", async () => {
  for (let n = 1; ; n++) {
    const text = await readLater(new URL(import.meta.url));
    console.log(`read ${n} ${text.length}`);
  }
});

insight.spawn("resolver", async () => {
  for (let n = 1; ; n++) {
    const value = await lookupAsync(`key-${n}`);
    console.log(`looked up ${value}`);
  }
});

console.log(`ready ${address?.port}`);
