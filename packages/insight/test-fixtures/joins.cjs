// Tasks awaiting spawned tasks (used by src/private/join-wait.test.ts and
// src/private/orphans.test.ts). CommonJS, so that Node loads it as written and
// its lines are the file's (see await-kinds.cjs). `spawn` comes from the test.
"use strict";
const { setTimeout: sleep } = require("node:timers/promises");

/** A task awaiting a spawned task directly, one racing it against a timer, and one awaiting two at once. */
function startJoins(spawn, gate) {
  const handles = [];
  handles.push(
    spawn("parent", async () => {
      const child = spawn("child", () => gate);
      await child;
    }),
  );
  handles.push(
    spawn("racer", async () => {
      const slow = spawn("slow", () => gate);
      await Promise.race([slow, sleep(60_000, undefined, { ref: false })]);
    }),
  );
  handles.push(
    spawn("fan-out", async () => {
      await Promise.all([spawn("left", () => gate), spawn("right", () => gate)]);
    }),
  );
  return handles;
}

/** An HTTP handler whose only wait is the task it spawned. */
function joiningHandler(spawn, gate) {
  return async (_request, response) => {
    await spawn("render", () => gate);
    response.end("late");
  };
}

module.exports = { startJoins, joiningHandler };
