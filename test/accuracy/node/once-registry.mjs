// Healthy: connections register in a module-level table; a session task waits
// for its connection's 'ready' with events.once, and a timer (the handshake
// finishing) fires it six seconds later, again and again.
import { EventEmitter, once } from "node:events";
import * as insight from "async-insight";

const address = await insight.init().ready;
const connections = new Map();

function connect(id) {
  const connection = new EventEmitter();
  connections.set(id, connection);
  setTimeout(() => connections.get(id)?.emit("ready", { id }), 6_000);
  return connection;
}

insight.spawn("session", async () => {
  for (let round = 1; ; round++) {
    const [info] = await once(connect(round), "ready");
    connections.delete(info.id);
    console.log(`session ready ${round}`);
  }
});

console.log(`ready ${address?.port}`);
