// Starts interop/many-tasks (a tokio app with console-subscriber running
// `tasks` named tasks) on a free local port, and resolves once its console
// port accepts connections.
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { rustBinDir } from "../../scripts/lib/paths.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * `env` is added to the app's environment, e.g. TOKIO_CONSOLE_BUFFER_CAPACITY:
 * console-subscriber's event buffer (102,400 events by default) overflows
 * while 100k tasks spawn, and the consoles then never hear of most of them.
 *
 * `idle`, when given, runs the app mostly idle (see the header of
 * interop/many-tasks/src/main.rs): `active` tasks on timers, the rest waiting
 * until a driver wakes `idleWakes` of them every `wakeMs` ms. Without it the
 * app runs every task on a timer, as it always did.
 * @param {number} tasks
 * @param {Record<string, string>} [env]
 * @param {{ idle?: { active: number, wakeMs?: number, idleWakes?: number } }} [options]
 * @returns {Promise<{ port: number, app: import("node:child_process").ChildProcess }>}
 */
export async function startManyTasks(tasks, env = {}, options = {}) {
  const port = await freePort();
  const idleEnv = {};
  if (options.idle) {
    idleEnv.ACTIVE = String(options.idle.active);
    if (options.idle.wakeMs !== undefined) idleEnv.WAKE_MS = String(options.idle.wakeMs);
    if (options.idle.idleWakes !== undefined) idleEnv.IDLE_WAKES = String(options.idle.idleWakes);
  }
  const app = spawn(join(rustBinDir, "many-tasks"), [], {
    env: { ...process.env, TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, TASKS: String(tasks), ...idleEnv, ...env },
    stdio: "ignore",
  });
  for (let i = 0; !(await accepts(port)); i++) {
    if (i > 100) {
      app.kill();
      throw new Error("many-tasks never listened");
    }
    await sleep(100);
  }
  return { port, app };
}
