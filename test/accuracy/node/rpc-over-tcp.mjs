// Healthy: an RPC client over a real TCP loopback connection. Calls park their
// resolvers in a table of pending calls; the connection's 'data' listener
// (set up by the module) resolves them when replies arrive. The server takes
// five seconds to answer each call.
import net from "node:net";
import { once } from "node:events";
import * as insight from "async-insight";

const address = await insight.init().ready;
const server = net.createServer((socket) => {
  socket.setEncoding("utf8");
  let buffered = "";
  socket.on("data", (text) => {
    buffered += text;
    let end;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const request = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      setTimeout(() => socket.write(`${JSON.stringify({ id: request.id, result: request.method.length })}\n`), 5_000);
    }
  });
});
server.listen(0, "127.0.0.1");
await once(server, "listening");

const connection = net.connect(server.address().port, "127.0.0.1");
connection.setEncoding("utf8");
const pending = new Map();
let nextId = 1;
let received = "";
connection.on("data", (text) => {
  received += text;
  let end;
  while ((end = received.indexOf("\n")) >= 0) {
    const reply = JSON.parse(received.slice(0, end));
    received = received.slice(end + 1);
    pending.get(reply.id)?.(reply.result);
    pending.delete(reply.id);
  }
});

function call(method) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    connection.write(`${JSON.stringify({ id, method })}\n`);
  });
}

for (const method of ["getUser", "listOrders"]) {
  insight.spawn("rpc-caller", async () => {
    for (let n = 1; ; n++) console.log(`${method} ${n} -> ${await call(method)}`);
  });
}

console.log(`ready ${address?.port}`);
