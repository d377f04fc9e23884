// Planted: dining philosophers at scale. Two hundred philosophers sit around a
// table whose two hundred forks alternate between Mutexes and single-permit
// Semaphores, all created by a function of the main module. Each takes the
// fork on its left, thinks, then takes the fork on its right: a ring of 200.
import * as insight from "async-insight";
import { Mutex, Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const SEATS = 200;

async function take(fork) {
  return fork instanceof Mutex ? fork.lock() : fork.acquire();
}

async function philosopher(left, right) {
  const l = await take(left);
  await sleep(500);
  const r = await take(right);
  r.release();
  l.release();
}

function setTable() {
  const forks = Array.from({ length: SEATS }, (_, i) =>
    i % 2 === 0 ? new Mutex(undefined, { name: `fork-${i}` }) : new Semaphore(1, { name: `fork-${i}` }),
  );
  for (let i = 0; i < SEATS; i++) insight.spawn("philosopher", () => philosopher(forks[i], forks[(i + 1) % SEATS]));
}

setTable();
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 900);
