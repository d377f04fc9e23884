#!/usr/bin/env node
// `npm start`: the demo from the story. It starts the Node service in
// examples/node/prototype-channel with insight, calls its /process endpoint
// (which never answers), serves the web console beside it, and opens the
// terminal console on the service. On a terminal that is the live TUI (q to
// quit); without one, consolation prints its plain report and the demo ends.
//
//   npm start                 # Node service + terminal console + web console
//   npm start -- --rust       # the same consoles on the Rust mutex-deadlock app
//   npm start -- --no-web     # skip the web console
import { spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot, rustBinDir } from "./lib/paths.mjs";
import { log, run } from "./lib/run.mjs";

const args = new Set(process.argv.slice(2));
const rust = args.has("--rust");
const consolation = join(repoRoot, "packages", "consolation", "bin", "consolation.js");
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function start(command, argv, env, label) {
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text) => {
    for (const line of text.split("\n").filter(Boolean)) console.log(`  ${label} | ${line}`);
  });
  children.push(child);
  return child;
}

function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
    child.stdout.on("data", (text) => {
      seen += text;
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once("exit", (code) => reject(new Error(`${what}: the process exited (${code}) first`)));
  });
}

/** GET that gives up after `ms`: the story's endpoint never answers, which is the point. */
function callEndpoint(port, path, ms) {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, timeout: ms }, (res) => {
      res.resume();
      res.on("end", () => resolve(`answered ${res.statusCode}`));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve(`no answer after ${ms / 1000}s`);
    });
    req.on("error", (error) => resolve(`failed: ${error.message}`));
    req.end();
  });
}

function stopAll() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("SIGINT", () => {
  stopAll();
  process.exit(130);
});

if (rust) run(process.execPath, [join(repoRoot, "scripts", "ensure-prereqs.mjs"), "--rust"]);
// --no-build is for the test suite, which builds once up front: rebuilding the web page under running web tests would pull files from under them.
if (!args.has("--no-build")) run(process.execPath, [join(repoRoot, "scripts", "build.mjs")]);

const consolePort = await freePort();
if (rust) {
  log(`starting the Rust mutex-deadlock app (console-subscriber on 127.0.0.1:${consolePort})`);
  start(join(rustBinDir, "deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${consolePort}`, DEADLOCK_DELAY_MS: "1500" }, "deadlock-app");
  await new Promise((resolve) => setTimeout(resolve, 3000));
} else {
  log(`starting examples/node/prototype-channel/server.mjs (insight console on 127.0.0.1:${consolePort})`);
  const service = start(
    process.execPath,
    [join(repoRoot, "examples", "node", "prototype-channel", "server.mjs")],
    { PORT: "0", INSIGHT_BIND: `127.0.0.1:${consolePort}` },
    "service",
  );
  const [, httpPort] = await waitForLine(service, /http listening on port (\d+)/, "the service to listen");
  // Some load: the healthy page answers, every call to /process hangs.
  const healthy = await Promise.all(Array.from({ length: 20 }, () => callEndpoint(Number(httpPort), "/", 1500)));
  log(`GET / x${healthy.length}: ${healthy.filter((r) => r.startsWith("answered 200")).length} answered`);
  log(`GET http://127.0.0.1:${httpPort}/process x3 ...`);
  const hung = await Promise.all(Array.from({ length: 3 }, () => callEndpoint(Number(httpPort), "/process", 1500)));
  log(`  ${hung[0]} (all 3 alike: ${hung.every((r) => r === hung[0])}): the story's hang. Let's see why.`);
}

if (!args.has("--no-web")) {
  const webPort = await freePort();
  const web = start(process.execPath, [consolation, "web", "--port", String(consolePort), "--listen-port", String(webPort)], {}, "web");
  await waitForLine(web, /http:\/\/\S+/, "the web console").catch((error) => log(`web console: ${error.message}`));
}

const interactive = process.stdout.isTTY && process.stdin.isTTY;
log(interactive ? "opening the terminal console (? for help, P for problems, q to quit)" : "no terminal: printing consolation's plain report");
// Not spawnSync: the service and the web console keep writing to pipes this process drains.
// Off a terminal the report must outlast the library's GC proof (the task idle >= 3 s, a forced GC, then two
// updates to confirm): nothing is claimed before it, so 10 updates (about 10 s at insight's 1 s interval).
const tui = spawn(process.execPath, [consolation, "--port", String(consolePort), "--report-updates", "10"], { stdio: "inherit" });
const status = await new Promise((resolve) => tui.once("exit", (code) => resolve(code ?? 1)));
stopAll();
process.exit(status);
