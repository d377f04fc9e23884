// Planted: a promise nobody can resolve. The RPC helper parks the resolver in
// a map meant to be shared with the response reader, but the map is local to
// the call: once it returns, nothing can ever resolve the promise the task
// awaits.
import * as insight from "async-insight";

const address = await insight.init().ready;

function waitForReply(id) {
  const pending = new Map(); // bug: should be the connection's map
  return new Promise((resolve) => pending.set(id, resolve));
}

insight.spawn("rpc-call", async () => {
  const reply = await waitForReply(42);
  return reply;
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 4_000); // the hang is old news when someone looks
