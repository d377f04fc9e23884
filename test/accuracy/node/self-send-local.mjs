// Planted self-deadlock (the story's shape without HTTP): a batcher creates a
// bounded channel of capacity 2, enqueues all five jobs, and only then drains
// them. The third send waits for room that only the batcher itself could make.
// The channel is the batcher's own local: nothing else can ever receive from it.
import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

const address = await insight.init().ready;

async function runBatch(jobs) {
  const queue = new Channel(2, { name: "batch_queue" });
  for (const job of jobs) await queue.send(job);
  queue.close();
  const done = [];
  for await (const job of queue) done.push(`${job}: ok`);
  return done;
}

insight.spawn("batcher", () => runBatch(["a", "b", "c", "d", "e"]));
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 200);
