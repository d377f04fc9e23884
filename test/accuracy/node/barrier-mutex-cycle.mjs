// Planted: a Barrier and a Mutex, created by a function of the main module and
// handed to two tasks. After a first round together, the planner takes the
// board lock and waits at the barrier for the builder; the builder needs the
// board lock before it reaches the barrier. Only these two tasks ever held
// the barrier and the lock, so nothing can break the wait.
import * as insight from "async-insight";
import { Barrier, Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;

async function planner(phase, board) {
  await phase.wait();
  const guard = await board.lock();
  guard.value.push("plan");
  await phase.wait(); // waits for the builder, holding the board
  guard.release();
}

async function builder(phase, board) {
  await phase.wait();
  await sleep(100);
  const guard = await board.lock(); // the planner holds it
  guard.value.push("build");
  guard.release();
  await phase.wait();
}

function startRound() {
  const phase = new Barrier(2, { name: "phase" });
  const board = new Mutex([], { name: "board" });
  insight.spawn("planner", () => planner(phase, board));
  insight.spawn("builder", () => builder(phase, board));
}

startRound();
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 400);
