// Healthy: a lock released on another code path. Each flush handler takes the
// journal lock, appends, and hands the guard to a timer that releases it once
// the batch window (2.5 s) closes; the handler itself returns at once. Writers
// queue on the lock while its holder has already finished, and always get it.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const journal = new Mutex([], { name: "journal" });

async function flush(n) {
  const guard = await journal.lock();
  guard.value.push(`batch ${n}`);
  setTimeout(() => guard.release(), 2_500); // the batch window closes later
}

insight.spawn("scheduler", async () => {
  for (let n = 0; ; n++) {
    insight.spawn("flush", () => flush(n));
    await sleep(3_000);
  }
});

async function writer(id) {
  for (;;) {
    const guard = await journal.lock();
    guard.value.push(`entry from ${id}`);
    guard.release();
    await sleep(300);
  }
}

insight.spawn("writer", () => writer(1));
insight.spawn("writer", () => writer(2));
console.log(`ready ${address?.port}`);
