// Healthy: four simulation steppers meet at a Barrier after every step. One of
// them is slow (1.2 s per step), so the other three wait at the barrier for
// more than a second each round; every round completes.
import * as insight from "async-insight";
import { Barrier, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const step = new Barrier(4, { name: "step" });

async function stepper(cost) {
  for (let round = 0; ; round++) {
    await sleep(cost);
    await step.wait();
  }
}

for (const cost of [10, 50, 200, 1_200]) insight.spawn("stepper", () => stepper(cost));
console.log(`ready ${address?.port}`);
