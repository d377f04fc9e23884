// Healthy: waits bounded by AbortSignal.timeout. A poller waits at most 700 ms
// for an update that comes every five seconds, a health check waits at most
// 1.5 s on a Notify that is rarely triggered, and a job waits at most 800 ms for
// a semaphore permit before giving up. Every one of these waits ends.
import * as insight from "async-insight";
import { Channel, Notify, Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const updates = new Channel(1, { name: "updates" });
const alarm = new Notify({ name: "alarm" });
const slots = new Semaphore(1, { name: "slots" });
const timedOut = (error) => error?.name === "TimeoutError" || error?.name === "AbortError";

insight.spawn("publisher", async () => {
  for (let n = 0; ; n++) {
    await sleep(5_000);
    await updates.send(n);
  }
});

insight.spawn("poller", async () => {
  for (;;) {
    try {
      await updates.recv({ signal: AbortSignal.timeout(700) });
    } catch (error) {
      if (!timedOut(error)) throw error;
    }
  }
});

insight.spawn("health", async () => {
  for (;;) {
    try {
      await alarm.notified({ signal: AbortSignal.timeout(1_500) });
    } catch (error) {
      if (!timedOut(error)) throw error;
    }
  }
});

insight.spawn("batch", async () => {
  for (;;) {
    const permit = await slots.acquire();
    await sleep(300);
    permit.release();
    await sleep(50);
  }
});

insight.spawn("impatient", async () => {
  for (;;) {
    try {
      const permit = await slots.acquire(1, { signal: AbortSignal.timeout(800) });
      permit.release();
    } catch (error) {
      if (!timedOut(error)) throw error;
    }
    await sleep(100);
  }
});

console.log(`ready ${address?.port}`);
