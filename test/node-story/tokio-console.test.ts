/**
 * The real tokio-console, under tmux, watching the Node example service: its
 * task list must show the Node app's tasks by name, and its resources view
 * the named channel. Needs `npx tsc -b` (the example runs the built package)
 * and tokio-console (installed by `npm test`, or INSIGHT_TOKIO_CONSOLE).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tokioConsoleBin } from "../support/rust-peers.js";
import { TmuxSession } from "../support/tmux.js";
import { waitFor } from "../support/wait-for.js";

const SERVER = fileURLToPath(new URL("../../examples/node/prototype-channel/server.mjs", import.meta.url));

let child: ChildProcess | undefined;
let session: TmuxSession | undefined;
let output = "";
let request: http.ClientRequest | undefined;
let consolePort = 0;

beforeAll(async () => {
  if (!existsSync(tokioConsoleBin)) throw new Error(`tokio-console is not installed at ${tokioConsoleBin}`);
  child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: "0", INSIGHT_BIND: "127.0.0.1:0", INSIGHT_PORT: "", INSIGHT_PUBLISH_INTERVAL: "200ms" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const ports = await waitFor(
    () => {
      const h = /http listening on port (\d+)/.exec(output);
      const c = /insight console on port (\d+)/.exec(output);
      return h && c ? { http: Number(h[1]), console: Number(c[1]) } : undefined;
    },
    { timeoutMs: 20_000, description: "the example to print its ports", detail: () => output },
  );
  consolePort = ports.console;
  request = http.get({ host: "127.0.0.1", port: ports.http, path: "/process" });
  request.on("error", () => {});
});

afterAll(async () => {
  await session?.kill();
  request?.destroy();
  child?.kill();
});

it("tokio-console lists the Node app's tasks by name and shows the named channel", async () => {
  session = await TmuxSession.start(tokioConsoleBin, [`http://127.0.0.1:${consolePort}`], {
    width: 220,
    height: 50,
    env: { TERM: "xterm-256color", LANG: "C.UTF-8" },
  });
  const names = ["process-jobs", "load-config", "GET /process", "server.mjs"];
  const screen = await session.waitForScreen((s) => names.every((n) => s.includes(n)), {
    timeoutMs: 30_000,
    description: `tokio-console to list ${names.join(", ")}`,
  });
  expect(screen).toMatch(/\(CONNECTED\)/);
  expect(screen).not.toMatch(/process exited/);

  await session.sendKeys("r");
  const resources = await session.waitForScreen((s) => s.includes("prototype_channel"), {
    timeoutMs: 20_000,
    description: "the resources view to show prototype_channel",
  });
  expect(resources).toContain("Channel");
});
