// Healthy: a task reads commands from a named pipe (FIFO) with fs.promises;
// each open and read blocks in the thread pool until a writer (a child
// process here, an operator's shell in real life) writes, every five seconds.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as insight from "async-insight";

const address = await insight.init().ready;
const fifo = join(mkdtempSync(join(tmpdir(), "insight-fifo-")), "commands");
execFileSync("mkfifo", [fifo]);
const writer = spawn(
  process.execPath,
  ["-e", `const fs = require("node:fs"); let n = 0; setInterval(() => fs.writeFileSync(${JSON.stringify(fifo)}, "command " + ++n + "\\n"), 5000);`],
  { stdio: "ignore" },
);
process.once("exit", () => writer.kill());

insight.spawn("command-reader", async () => {
  for (;;) {
    const handle = await open(fifo, "r");
    const text = await handle.readFile("utf8");
    await handle.close();
    console.log(`got ${text.trim()}`);
  }
});

console.log(`ready ${address?.port}`);
