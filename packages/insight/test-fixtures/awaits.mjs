// Tasks suspended on plain promises and Node APIs (used by
// src/private/await-tracker.test.ts). Outside src/ so its frames count as user
// code. `mark` notes the line it is called on as the runtime sees it, and each
// await shares its line with a mark (as in abba.mjs).
import { once, EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { spawn } from "async-insight";
import { Mutex } from "async-insight/sync";

export const lines = {};
/** Settles the plain promise `plain` waits on. */
export let release = () => {};
export const emitter = new EventEmitter();

function mark(name) {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames) => frames[1].getLineNumber();
  try {
    lines[name] = new Error().stack;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function makePromise() {
  mark("created"); return new Promise((resolve) => { release = resolve; });
}

async function inner() {
  mark("inner"); await sleep(60_000, undefined, { ref: false });
}

export function startAwaits() {
  const lock = new Mutex(0, { name: "held" });
  const guard = lock.tryLock();
  return [
    spawn("plain", async () => {
      mark("plain"); await makePromise();
      mark("plain again"); await new Promise(() => {});
    }),
    spawn("timer", async () => {
      mark("timer"); await sleep(60_000, undefined, { ref: false });
    }),
    spawn("nested", async () => {
      mark("nested"); await inner();
    }),
    spawn("event", async () => {
      mark("event"); await once(emitter, "go");
    }),
    spawn("file", async () => {
      mark("file"); await readFile(new URL(import.meta.url));
      await new Promise(() => {});
    }),
    spawn("locked", async () => {
      mark("locked"); await lock.lock();
    }),
    guard,
  ];
}
