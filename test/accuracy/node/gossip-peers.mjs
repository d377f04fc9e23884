// Healthy: two gossip peers forward each rumour to the other (up to three
// hops) and otherwise wait on their inboxes. New rumours arrive every three
// seconds from short-lived submit tasks that end once they have sent. Between
// rumours both peers wait to receive, and the only live tasks ever seen
// sending to either inbox are the two waiting peers; the next rumour comes.
import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

const address = await insight.init().ready;
const inboxes = { east: new Channel(8, { name: "east_inbox" }), west: new Channel(8, { name: "west_inbox" }) };

async function peer(me, other) {
  const seen = new Set();
  for await (const rumour of inboxes[me]) {
    seen.add(rumour.id);
    if (rumour.hops < 3) await inboxes[other].send({ ...rumour, hops: rumour.hops + 1 });
  }
}

insight.spawn("peer", () => peer("east", "west"));
insight.spawn("peer", () => peer("west", "east"));

let id = 0;
setInterval(() => {
  id += 1;
  const to = id % 2 === 0 ? "east" : "west";
  insight.spawn("submit", () => inboxes[to].send({ id, hops: 0 }));
}, 3_000);

console.log(`ready ${address?.port}`);
