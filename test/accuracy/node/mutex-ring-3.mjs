// Planted, formed after the console attaches: three pipeline stages each own a
// Mutex and need their neighbour's. For 2.5 s they take both locks in a global
// order and all is well; then (the "fast path" of a refactor) each takes its
// own lock first and its neighbour's second, and the three wait in a ring.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const buffers = [0, 1, 2].map((i) => new Mutex([], { name: `buffer-${i}` }));
const fastPathAt = Date.now() + 2_500;

async function stage(i) {
  const mine = buffers[i];
  const next = buffers[(i + 1) % 3];
  while (Date.now() < fastPathAt) {
    const [first, second] = i < (i + 1) % 3 ? [mine, next] : [next, mine];
    const a = await first.lock();
    const b = await second.lock();
    b.release();
    a.release();
    await sleep(20);
  }
  await sleep(Math.max(0, fastPathAt + 200 - Date.now()));
  const own = await mine.lock();
  await sleep(300);
  const neighbour = await next.lock();
  neighbour.value.push(own.value.length);
  neighbour.release();
  own.release();
}

for (const i of [0, 1, 2]) insight.spawn(`stage-${i + 1}`, () => stage(i));
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
