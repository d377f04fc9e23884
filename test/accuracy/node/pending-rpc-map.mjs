// Healthy: RPC calls park their resolvers in the connection's table of pending
// calls (module scope) and the reply reader resolves them when replies arrive,
// every four seconds here. Callers wait on plain promises for long stretches.
import * as insight from "async-insight";
import { sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pending = new Map();
let nextId = 1;

function call(method) {
  const id = nextId++;
  return new Promise((resolve) => pending.set(id, { method, resolve }));
}

insight.spawn("reply-reader", async () => {
  for (;;) {
    await sleep(4_000); // the next frame from the socket
    for (const [id, { method, resolve }] of pending) {
      pending.delete(id);
      resolve({ id, method, ok: true });
    }
  }
});

async function caller(method) {
  for (;;) {
    const reply = await call(method);
    if (!reply.ok) throw new Error("rpc failed");
  }
}

insight.spawn("caller", () => caller("getUser"));
insight.spawn("caller", () => caller("listOrders"));
console.log(`ready ${address?.port}`);
