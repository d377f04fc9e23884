// A program that silently exits because its only task waits on itself:
// run with INSIGHT_EXIT_REPORT=1 to be told why.
//
//   INSIGHT_EXIT_REPORT=1 node --import async-insight/register examples/node/exit-report/self-deadlock.mjs
import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

insight.init({ listenPort: Number(process.env.INSIGHT_PORT ?? 0) });

insight.spawn("enqueue-then-drain", async () => {
  const queue = new Channel(1, { name: "work_queue" });
  await queue.send("first");
  await queue.send("second");
  for await (const item of queue) console.log(item);
});
