// Planted self-deadlock through a long-lived module-scope channel, formed after
// the console attaches: a retry worker is the only task that receives from
// `retries`; when a job fails it puts the job back and queues a follow-up, into
// the same bounded channel. The last job fails while the channel holds one
// job: the second send waits for room that only the worker itself could make.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const retries = new Channel(2, { name: "retries" });

insight.spawn("feeder", async () => {
  for (let n = 1; n <= 24; n++) {
    await retries.send({ n, attempt: 0 });
    await sleep(100);
  }
  await retries.send({ n: 25, attempt: 0 });
  await retries.send({ n: 26, attempt: 0 });
});

insight.spawn("retry-worker", async () => {
  for (;;) {
    const job = await retries.recv();
    await sleep(40); // run the job
    if (job.n === 25 && job.attempt === 0) {
      await retries.send({ ...job, attempt: 1 });
      await retries.send({ n: job.n, followUp: true, attempt: 0 });
    }
  }
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
