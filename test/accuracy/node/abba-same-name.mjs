// Planted: ABBA between two tasks that bear the same name. Both "transfer"
// tasks first make a transfer in the same direction (the second one queues
// briefly at its first lock), then, at the same moment, one moves money to
// savings and the other to checking. Each holds its source account and waits
// at its second lock() for the account the other holds: a deadlock. Each task
// is suspended at its own second lock() line.
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";

const address = await insight.init().ready;
const checking = new Mutex({ balance: 500 }, { name: "checking" });
const savings = new Mutex({ balance: 500 }, { name: "savings" });

async function toSavings(amount) {
  const from = await checking.lock(); // site: first-lock
  await sleep(300); // write the audit record
  const to = await savings.lock(); // site: second-lock
  from.value.balance -= amount;
  to.value.balance += amount;
  to.release();
  from.release();
}

async function toChecking(amount) {
  const from = await savings.lock(); // site: first-lock
  await sleep(300);
  const to = await checking.lock(); // site: second-lock
  from.value.balance -= amount;
  to.value.balance += amount;
  to.release();
  from.release();
}

const settleAt = Date.now() + 1_500;
insight.spawn("transfer", async () => {
  await toSavings(10);
  await sleep(Math.max(0, settleAt - Date.now()));
  await toSavings(20);
});
insight.spawn("transfer", async () => {
  await toSavings(30);
  await sleep(Math.max(0, settleAt - Date.now()));
  await toChecking(40);
});

const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 2_200);
