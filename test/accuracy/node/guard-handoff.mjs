// Healthy: a lock guard moves to another task. The dispatcher locks the index,
// then hands the guard to an "apply" task it spawns, which finishes the update
// (0.6 s of I/O) and releases it; the dispatcher immediately asks for the lock
// again for the next update. It waits on a lock whose guard it no longer has.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const index = new Mutex(new Map(), { name: "index" });

async function apply(guard, n) {
  try {
    await sleep(600); // write the segment, then publish it
    guard.value.set(`segment-${n}`, Date.now());
  } finally {
    guard.release();
  }
}

insight.spawn("dispatcher", async () => {
  for (let n = 0; ; n++) {
    const guard = await index.lock();
    insight.spawn("apply", () => apply(guard, n));
  }
});

console.log(`ready ${address?.port}`);
