// Healthy: a callback-style client retries through setImmediate until its
// backend accepts; each attempt's callback comes back from a module-level
// backend queue served every five seconds, and every other one fails.
import * as insight from "async-insight";

const address = await insight.init().ready;
const backlog = [];
let served = 0;
setInterval(() => {
  for (const callback of backlog.splice(0)) callback(++served % 2 === 0 ? null : new Error("busy"), served);
}, 5_000);

function submit(callback) {
  backlog.push(callback);
}

insight.spawn("submitter", async () => {
  for (let n = 1; ; n++) {
    const receipt = await new Promise((resolve) => {
      const attempt = () => submit((error, id) => (error ? setImmediate(attempt) : resolve(id)));
      attempt();
    });
    console.log(`submitted ${n} as ${receipt}`);
  }
});

console.log(`ready ${address?.port}`);
