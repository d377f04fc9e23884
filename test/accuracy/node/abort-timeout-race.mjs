// Healthy: a request to an upstream that never answers, raced against
// AbortSignal.timeout(6 s); the timeout wins and the task retries.
import http from "node:http";
import * as insight from "async-insight";

const address = await insight.init().ready;
// The service's own server keeps the process alive (AbortSignal.timeout's timer does not).
http.createServer((_, response) => response.end()).listen(0, "127.0.0.1");
const upstreamReplies = []; // resolvers nobody ever calls: the upstream is down

function timedOut(signal) {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

insight.spawn("upstream-call", async () => {
  for (let attempt = 1; ; attempt++) {
    const reply = new Promise((resolve) => upstreamReplies.push(resolve));
    try {
      await Promise.race([reply, timedOut(AbortSignal.timeout(6_000))]);
    } catch (error) {
      console.log(`attempt ${attempt}: ${error.name}`);
    }
    upstreamReplies.length = 0;
  }
});

console.log(`ready ${address?.port}`);
