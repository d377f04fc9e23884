// Planted (issue 13's missed 3-task cycle): a Mutex, a bounded Channel of
// capacity 1 and a oneshot, all created by a function of the main module and
// handed to three tasks. The writer holds the state lock while it sends into
// the full channel; the reader, the only one receiving from that channel,
// waits for the auditor's ack first; the auditor needs the state lock to ack.
// Nothing else references the three primitives, so nothing can ever free them.
import * as insight from "async-insight";
import { Channel, Mutex, oneshot, sleep } from "async-insight/sync";

const address = await insight.init().ready;

async function writer(state, updates) {
  const guard = await state.lock();
  for (let version = 1; version <= 3; version++) {
    guard.value.version = version;
    await updates.send(version);
  }
  guard.release();
}

async function reader(updates, ack) {
  const first = await updates.recv();
  const audited = await ack; // read on only once the auditor has seen the state
  for await (const version of updates) if (version < first || version < audited) throw new Error("out of order");
}

async function auditor(state, ack) {
  await sleep(100);
  const guard = await state.lock();
  ack.send(guard.value.version);
  guard.release();
}

function startSync() {
  const state = new Mutex({ version: 0 }, { name: "state" });
  const updates = new Channel(1, { name: "updates" });
  const [ackTx, ackRx] = oneshot({ name: "ack" });
  insight.spawn("writer", () => writer(state, updates));
  insight.spawn("reader", () => reader(updates, ackRx));
  insight.spawn("auditor", () => auditor(state, ackTx));
}

startSync();
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 400);
