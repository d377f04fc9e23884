// Healthy: forty workers update one shared counter under a Mutex, each holding
// it across a short await (a read-modify-write with I/O in the middle), so the
// lock is contended all the time and every worker queues for it again and again.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const counter = new Mutex({ total: 0 }, { name: "counter" });

async function worker(id) {
  for (;;) {
    const guard = await counter.lock();
    try {
      const before = guard.value.total;
      await sleep(1 + (id % 3));
      guard.value.total = before + 1;
    } finally {
      guard.release();
    }
    await sleep(1 + (id % 5));
  }
}

for (let i = 0; i < 40; i++) insight.spawn("worker", () => worker(i));
console.log(`ready ${address?.port}`);
