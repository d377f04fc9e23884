// Healthy: a client task waits for the next line on a TCP loopback socket;
// the server side sends one every five seconds. The socket was opened by the
// module, not by the task; the task only waits on its 'data' event.
import net from "node:net";
import { once } from "node:events";
import * as insight from "async-insight";

const address = await insight.init().ready;
const server = net.createServer((socket) => {
  let n = 0;
  const timer = setInterval(() => socket.write(`tick ${++n}\n`), 5_000);
  socket.on("close", () => clearInterval(timer));
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const socket = net.connect(server.address().port, "127.0.0.1");

insight.spawn("feed-reader", async () => {
  for (;;) {
    const chunk = await new Promise((resolve) => socket.once("data", resolve));
    console.log(`got ${String(chunk).trim()}`);
  }
});

console.log(`ready ${address?.port}`);
