// Healthy: the main module itself waits at top level for six seconds on a
// plain promise a timer resolves (warm-up), then starts its workers and
// parks itself forever with the "run forever" idiom (a top-level await on a
// promise nobody resolves); the process lives on through its workers. A cache task idles meanwhile
// (so the GC proof sweeps while main waits and after it finished).
import * as insight from "async-insight";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
console.log(`ready ${address?.port}`);
insight.spawn("cache-refresh", async () => {
  for (;;) await sleep(20_000);
});
let warm;
const warmed = new Promise((resolve) => (warm = resolve));
setTimeout(() => warm(), 6_000);
await warmed;
console.log("warmed up");
insight.spawn("worker", async () => {
  for (;;) await sleep(1_000);
});
// Main itself has nothing left to do.
await new Promise(() => {});
