// Healthy: a Barrier whose last party arrives late. Two loaders reach the start
// barrier at once; the third party, the warm-up task, arrives for the first
// time 4 s later, and then every round goes through. The two early parties
// wait on each other's barrier meanwhile, and neither can release the other.
import * as insight from "async-insight";
import { Barrier, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const start = new Barrier(3, { name: "start" });

async function loader() {
  for (;;) {
    await start.wait();
    await sleep(50);
  }
}

insight.spawn("loader", loader);
insight.spawn("loader", loader);
insight.spawn("warm-up", async () => {
  await sleep(4_000); // fill the caches first
  for (;;) {
    await start.wait();
    await sleep(3_000);
  }
});

console.log(`ready ${address?.port}`);
