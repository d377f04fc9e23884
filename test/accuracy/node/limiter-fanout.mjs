// Healthy: one request task fans three upstream calls out through a p-queue
// of concurrency 2 with Promise.all, round after round. Two calls run and the
// third waits for a slot held by the task's own running calls, which is no
// cycle: each running call is a TCP round trip that ends by itself (the
// upstream answers after 1.2 s) and frees its slot, whatever the task does.
import * as insight from "async-insight";
import net from "node:net";
import PQueue from "p-queue";

const address = await insight.init().ready;

// The upstream: answers each line after 1.2 s.
const upstream = net.createServer((socket) => {
  socket.on("data", () => setTimeout(() => socket.write("ok\n"), 1_200));
  socket.on("error", () => {});
});
await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
const { port } = upstream.address();

function callUpstream() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write("get\n"));
    socket.once("data", (reply) => {
      socket.end();
      resolve(String(reply));
    });
    socket.once("error", reject);
  });
}

const queue = new PQueue({ concurrency: 2 });

async function requests() {
  for (;;) await Promise.all([queue.add(callUpstream), queue.add(callUpstream), queue.add(callUpstream)]);
}

insight.spawn("GET /report", requests);
console.log(`ready ${address?.port}`);
