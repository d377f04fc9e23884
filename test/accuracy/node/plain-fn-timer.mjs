// Healthy: tasks whose fn is a plain (non-async) function returning a promise
// that a timer resolves four to six seconds later, spawned again and again.
import * as insight from "async-insight";

const address = await insight.init().ready;

async function loop() {
  for (let n = 1; ; n++) {
    await insight.spawn("backoff", () => new Promise((resolve) => setTimeout(resolve, 4_000 + (n % 3) * 1_000)));
    console.log(`backoff ${n} over`);
  }
}
void loop();

insight.spawn("delay-chain", () => new Promise((resolve) => setTimeout(resolve, 5_000)).then(() => new Promise((resolve) => setTimeout(resolve, 5_000))).then(() => console.log("delay-chain over")));

console.log(`ready ${address?.port}`);
