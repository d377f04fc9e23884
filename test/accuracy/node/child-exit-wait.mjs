// Healthy: a supervisor awaits the exit of a child process (a build that runs
// for a minute) through a plain promise resolved by the 'exit' event. The task
// has no visible wait on any primitive; the child process will resolve it.
import { spawn } from "node:child_process";
import * as insight from "async-insight";

const address = await insight.init().ready;

function exited(child) {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

insight.spawn("build-supervisor", async () => {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)"], { stdio: "ignore" });
  process.once("exit", () => child.kill());
  const code = await exited(child);
  return code;
});

console.log(`ready ${address?.port}`);
