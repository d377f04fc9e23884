// A cluster service with insight in every process: the primary and two
// workers each call init() with the same options (the default port, or
// INSIGHT_PORT), as an app does when init() sits at the top of its one
// script. Each worker runs a named job; the worker whose cluster id is
// DEADLOCK_WORKER also plants an ABBA deadlock ("debit" and "credit" each hold
// one account and wait for the other's). The primary prints one line once
// every worker is up: "ready <primary pid> <worker pid>...".
import cluster from "node:cluster";
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

await insight.init().ready;

if (cluster.isPrimary) {
  const pids = [];
  for (let i = 0; i < 2; i++) {
    const worker = cluster.fork();
    worker.on("message", (message) => {
      if (message !== "ready") return;
      pids.push(worker.process.pid);
      if (pids.length === 2) console.log(`ready ${process.pid} ${pids.sort((a, b) => a - b).join(" ")}`);
    });
  }
} else {
  const id = cluster.worker.id;
  insight.spawn(`job-${id}`, async () => {
    await sleep(600_000);
  });
  if (id === Number(process.env.DEADLOCK_WORKER)) {
    const checking = new Mutex({ balance: 500 }, { name: "checking" });
    const savings = new Mutex({ balance: 500 }, { name: "savings" });
    insight.spawn("debit", async () => {
      const from = await checking.lock();
      await sleep(200);
      const to = await savings.lock();
      to.release();
      from.release();
    });
    insight.spawn("credit", async () => {
      const from = await savings.lock();
      await sleep(200);
      const to = await checking.lock();
      to.release();
      from.release();
    });
  }
  process.send("ready");
}
