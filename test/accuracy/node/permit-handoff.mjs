// Healthy: a scheduler limits concurrent jobs with a Semaphore, the way
// `acquire_owned` is used with tokio: it acquires a permit, then hands it to
// the job it spawns, and the job releases it when it ends (1.5 s later). The
// scheduler then waits for a permit while the permits it acquired are in the
// jobs' hands; the jobs always give them back.
import * as insight from "async-insight";
import { Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const limit = new Semaphore(2, { name: "job_limit" });

async function job(n, permit) {
  try {
    await sleep(1_500); // the job's I/O
    return n;
  } finally {
    permit.release();
  }
}

insight.spawn("scheduler", async () => {
  for (let n = 0; ; n++) {
    const permit = await limit.acquire();
    insight.spawn("job", () => job(n, permit));
  }
});

console.log(`ready ${address?.port}`);
