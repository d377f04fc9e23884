// Planted permit starvation: two report jobs take both permits of the database
// pool and then back off for an hour while keeping them; three queries queue
// for a permit behind them. Nothing is deadlocked (the timers will fire), but
// the permits are held by idle tasks while others wait.
import * as insight from "async-insight";
import { Semaphore, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const pool = new Semaphore(2, { name: "db_pool" });

async function report() {
  const permit = await pool.acquire();
  try {
    await sleep(3_600_000); // "retry in an hour", with the connection still checked out
  } finally {
    permit.release();
  }
}

async function query() {
  const permit = await pool.acquire();
  permit.release();
}

insight.spawn("report", report);
insight.spawn("report", report);
setTimeout(() => {
  for (let i = 0; i < 3; i++) insight.spawn("query", query);
}, 200);

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 400);
