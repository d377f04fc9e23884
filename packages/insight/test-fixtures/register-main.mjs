// Started with `node --import async-insight/register` by register-main.test.ts:
// the main module imports a few modules, spawns a task, and both wait forever
// on a promise made here. It ends itself (SIGTERM, for the exit report) once
// both awaits have happened: a timer runs only after the module's first run.
import { readFile } from "node:fs/promises";
import http from "node:http";
import { spawn } from "async-insight";
import { Channel } from "async-insight/sync";
import { ConsoleClient } from "@async-insight/client";
import { greeting } from "./register-main-dep.mjs";

const never = new Promise(() => {}); // made: never
void [readFile, http, Channel, ConsoleClient, greeting];
setInterval(() => {}, 1 << 30);
setTimeout(() => process.kill(process.pid, "SIGTERM"), 0);
spawn("sleeper", async () => {
  await never; // await: sleeper
});
await never; // await: main
