// An ABBA deadlock between two tasks of the same name, each at its own
// awaits (used by src/private/await-site.test.ts). Outside src/ so its frames
// count as user code. `mark` notes the line it is called on as the runtime
// sees it (the test runner may shift lines when it transforms this file), and
// each lock() shares its line with a mark.
import { spawn } from "async-insight";
import { Mutex, Notify } from "async-insight/sync";

export const lines = {};

function mark(name) {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames) => frames[1].getLineNumber();
  try {
    lines[name] = new Error().stack;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

export async function startAbba() {
  const a = new Mutex(0, { name: "a" });
  const b = new Mutex(0, { name: "b" });
  const bHeld = new Notify();
  // Held briefly so the first worker's first lock() blocks once (and so a
  // per-name cache of await sites would have its entry for `a`).
  const warmup = await a.lock();
  spawn("worker", async () => {
    mark("worker-1 first"); const first = await a.lock();
    await bHeld.notified();
    mark("worker-1 second"); const second = await b.lock();
    second.release();
    first.release();
  });
  spawn("worker", async () => {
    mark("worker-2 first"); const first = await b.lock();
    bHeld.notifyOne();
    mark("worker-2 second"); const second = await a.lock();
    second.release();
    first.release();
  });
  warmup.release();
  return { a, b };
}
