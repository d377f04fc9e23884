// Planted: a wait on a Notify nobody else can reach. The task registers the
// Notify in a listener table meant to be shared, but the table is a local of
// the call and is dropped when it returns: no code can ever notify it.
import * as insight from "async-insight";
import { Notify } from "async-insight/sync";

const address = await insight.init().ready;

function subscribe(topic) {
  const listeners = new Map(); // bug: should be the bus's table
  const notify = new Notify({ name: `topic:${topic}` });
  listeners.set(topic, notify);
  return notify;
}

insight.spawn("subscriber", async () => {
  const changed = subscribe("prices");
  await changed.notified();
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 200);
