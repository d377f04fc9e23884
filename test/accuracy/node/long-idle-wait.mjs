// Healthy: long idle waits on live primitives. A listener waits for a shutdown
// message that a controller sends after a minute; a waiter awaits the oneshot
// reply of a long job (45 s). Both waits outlast any check window, and the
// tasks that will end them are alive and on their way.
import * as insight from "async-insight";
import { Channel, oneshot, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const control = new Channel(1, { name: "control" });

insight.spawn("listener", async () => {
  const message = await control.recv();
  return message;
});

insight.spawn("controller", async () => {
  const tx = control.sender();
  await sleep(60_000);
  await tx.send("shutdown");
});

insight.spawn("report-waiter", async () => {
  const [tx, rx] = oneshot({ name: "report" });
  insight.spawn("report-job", async () => {
    await sleep(45_000);
    tx.send({ rows: 1_000 });
  });
  return await rx;
});

console.log(`ready ${address?.port}`);
