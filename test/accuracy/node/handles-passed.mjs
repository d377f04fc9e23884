// Healthy: work and handles move between tasks. A launcher spawns jobs and
// passes each job's TaskHandle, with a Sender of the results channel, to a
// joiner over a channel; the joiner awaits jobs it did not spawn, and each
// job sends its result through the Sender it was handed, then drops it.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const handoff = new Channel(1, { name: "handoff" });
const results = new Channel(Infinity, { name: "results" });

insight.spawn("launcher", async () => {
  for (let n = 0; ; n++) {
    const out = results.sender();
    const handle = insight.spawn("job", async () => {
      await sleep(1_500);
      await out.send(n);
      out.drop();
      return n;
    });
    await handoff.send(handle);
    await sleep(400);
  }
});

insight.spawn("joiner", async () => {
  for await (const handle of handoff) await handle;
});

insight.spawn("tally", async () => {
  let total = 0;
  for await (const n of results.receiver()) total += n;
});

console.log(`ready ${address?.port}`);
