// Starts bench/lib/spawning-app.mjs and talks to it over IPC.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const APP = fileURLToPath(new URL("./spawning-app.mjs", import.meta.url));

/** @returns {Promise<{ consolePort: number, httpPort: number, ask(cmd: string): Promise<any>, stop(): void, stderr(): string }>} */
export async function startSpawningApp(env = {}) {
  const child = fork(APP, [], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const ready = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`app exited (${code}): ${stderr}`)));
  });
  return {
    consolePort: ready.consolePort,
    httpPort: ready.httpPort,
    ask: (cmd) =>
      new Promise((resolve) => {
        child.once("message", resolve);
        child.send({ cmd });
      }),
    stop: () => child.kill("SIGKILL"),
    stderr: () => stderr,
  };
}
