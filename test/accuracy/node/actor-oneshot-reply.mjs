// Healthy: actor request/reply. Each client creates a oneshot, sends its sender
// half to the actor in the request, and awaits the receiver. The actor hands
// the request (with the sender) to a slow worker over a second channel; the
// worker answers after two seconds. Each client waits on a reply that another
// task will send.
import * as insight from "async-insight";
import { Channel, oneshot, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const requests = new Channel(16, { name: "requests" });
const jobs = new Channel(16, { name: "jobs" });

insight.spawn("actor", async () => {
  for await (const request of requests) await jobs.send(request);
});

insight.spawn("slow-worker", async () => {
  for await (const { n, reply } of jobs) {
    await sleep(2_000); // the expensive part
    reply.send(n * 2);
  }
});

async function client(id) {
  for (let n = id; ; n += 10) {
    const [reply, answer] = oneshot({ name: "reply" });
    await requests.send({ n, reply });
    const doubled = await answer;
    if (doubled !== n * 2) throw new Error("wrong answer");
    await sleep(100);
  }
}

insight.spawn("client", () => client(1));
insight.spawn("client", () => client(2));
console.log(`ready ${address?.port}`);
