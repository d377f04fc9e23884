// Healthy: a crawler feeds its own queue. The crawler receives a URL, pushes
// the links it finds back into the same bounded queue when there is room
// (trySend), and waits on the queue when it runs dry. New seeds come from
// short-lived submit tasks, one every three seconds, each of which finishes
// after sending; so between seeds the only senders ever seen are the crawler
// itself and tasks that have ended, yet the next seed always comes.
import * as insight from "async-insight";
import { Channel, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const frontier = new Channel(16, { name: "frontier" });

insight.spawn("crawler", async () => {
  for (;;) {
    const url = await frontier.recv();
    await sleep(20); // fetch it
    const depth = url.split("/").length;
    if (depth < 6) for (const link of ["a", "b"]) frontier.trySend(`${url}/${link}`);
  }
});

let seed = 0;
setInterval(() => {
  seed += 1;
  insight.spawn("submit", () => frontier.send(`https://site-${seed}.example`));
}, 3_000);

console.log(`ready ${address?.port}`);
