// Healthy: ten readers and two writers share a routing table behind a RwLock.
// Readers hold it briefly and often; writers replace entries every few hundred
// milliseconds and queue behind the readers (the lock is write-preferring).
import * as insight from "async-insight";
import { RwLock, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const routes = new RwLock(new Map([["/", "home"]]), { name: "routes" });

async function reader(id) {
  for (;;) {
    const guard = await routes.read();
    const target = guard.value.get("/");
    await sleep(2 + (id % 3));
    guard.release();
    if (!target) throw new Error("route lost");
    await sleep(5);
  }
}

async function writer(id) {
  for (let n = 0; ; n++) {
    await sleep(200 + id * 70);
    const guard = await routes.write();
    guard.value.set(`/v${n}`, `handler ${id}`);
    await sleep(10);
    guard.release();
  }
}

for (let i = 0; i < 10; i++) insight.spawn("reader", () => reader(i));
for (let i = 0; i < 2; i++) insight.spawn("writer", () => writer(i));
console.log(`ready ${address?.port}`);
