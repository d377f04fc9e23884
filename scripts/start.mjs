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
//   npm start -- --story pool # the second story: examples/node/orders-service (express on pg) deadlocks its
//                             # own pool under load, on a temporary PostgreSQL (needs Debian's postgresql)
import { spawn } from "node:child_process";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot, rustBinDir } from "./lib/paths.mjs";
import { log, run } from "./lib/run.mjs";
import { postgresBinDir, startPostgres } from "./lib/servers.mjs";

const argv = process.argv.slice(2);
const args = new Set(argv);
const rust = args.has("--rust");
const story = argv.includes("--story") ? argv[argv.indexOf("--story") + 1] : undefined;
if (story !== undefined && story !== "pool") {
  console.error(`unknown story ${JSON.stringify(story ?? "")}: the stories are the default one (no --story) and --story pool`);
  process.exit(2);
}
const poolStory = story === "pool";
if (poolStory && rust) {
  console.error("--story pool and --rust are two different demos: choose one");
  process.exit(2);
}
const consolation = join(repoRoot, "packages", "consolation", "bin", "consolation.js");
const children = [];
/** What else to stop at exit: the story's PostgreSQL. */
const servers = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function start(command, argv, env, label, cwd = undefined) {
  const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
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

/**
 * GET (or POST of `json`) that reports after `ms` if no answer came: the story's endpoint never answers, which is
 * the point. The first story's client then gives up; with `keepWaiting` it stays connected, as a browser does.
 */
function callEndpoint(port, path, ms, json, keepWaiting = false) {
  return new Promise((resolve) => {
    const post = json === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" } };
    const req = request({ host: "127.0.0.1", port, path, timeout: ms, ...post }, (res) => {
      res.resume();
      res.on("end", () => resolve(`answered ${res.statusCode}`));
    });
    req.on("timeout", () => {
      if (!keepWaiting) req.destroy();
      resolve(`no answer after ${ms / 1000}s`);
    });
    req.on("error", (error) => resolve(`failed: ${error.message}`));
    req.end(json === undefined ? undefined : JSON.stringify(json));
  });
}

async function stopAll() {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill("SIGTERM");
  // The service first, then its database: a database that goes away under a live pool makes the service print errors.
  if (servers.length) await Promise.all(running.map((child) => new Promise((resolve) => child.once("exit", resolve))));
  await Promise.all(servers.map((server) => server.stop()));
}
process.on("SIGINT", async () => {
  await stopAll();
  process.exit(130);
});

/**
 * The second story: a temporary PostgreSQL, the orders service on it with insight added by
 * `node --import async-insight/register` alone, one order (it works), then a few at once (they hang).
 */
async function playPoolStory(consolePort) {
  log("starting a temporary PostgreSQL (a private server on a free port, removed at exit)");
  const postgres = await startPostgres();
  servers.push(postgres);
  log(`  PostgreSQL on ${postgres.host}:${postgres.port}`);
  const dir = join(repoRoot, "examples", "node", "orders-service");
  log(`starting examples/node/orders-service/server.mjs with node --import async-insight/register (insight console on 127.0.0.1:${consolePort})`);
  // In its own folder, as its package.json runs it: the service's code knows nothing of insight.
  const env = { DATABASE_URL: postgres.url, PORT: "0", INSIGHT_BIND: `127.0.0.1:${consolePort}` };
  const service = start(process.execPath, ["--import", "async-insight/register", "server.mjs"], env, "service", dir);
  const [, httpPort] = await waitForLine(service, /http listening on port (\d+)/, "the service to listen");
  const order = { customer: "ada", items: [{ sku: "mug", quantity: 1 }] };
  const alone = [await callEndpoint(Number(httpPort), "/orders", 2000, order), await callEndpoint(Number(httpPort), "/orders", 2000, order)];
  log(`POST /orders, one at a time: ${alone.join(", ")}`);
  // Load as clients send it, a few orders at once, until some go unanswered (how the requests
  // interleave decides which round deadlocks the pool; it is nearly always the first). The clients
  // that get no answer stay connected, still waiting, as a browser would.
  const concurrent = 8;
  for (let round = 1; round <= 5; round++) {
    log(`POST http://127.0.0.1:${httpPort}/orders x${concurrent} at once ...`);
    const outcomes = await Promise.all(Array.from({ length: concurrent }, () => callEndpoint(Number(httpPort), "/orders", 2000, order, true)));
    const hung = outcomes.filter((r) => r.startsWith("no answer")).length;
    log(`  ${concurrent - hung} of ${concurrent} answered${hung ? `, ${hung} got no answer after 2s (still waiting): the story's hang.` : ""}`);
    if (hung) break;
  }
  const health = await callEndpoint(Number(httpPort), "/health", 2000);
  const read = await callEndpoint(Number(httpPort), "/orders/1", 2000, undefined, true);
  log(`  GET /health: ${health} (the process is fine); GET /orders/1: ${read} (it needs the pool too). Let's see why.`);
}

if (rust) run(process.execPath, [join(repoRoot, "scripts", "ensure-prereqs.mjs"), "--rust"]);
if (poolStory && postgresBinDir() === undefined) run(process.execPath, [join(repoRoot, "scripts", "ensure-prereqs.mjs"), "--apt"]);
// --no-build is for the test suite, which builds once up front: rebuilding the web page under running web tests would pull files from under them.
if (!args.has("--no-build")) run(process.execPath, [join(repoRoot, "scripts", "build.mjs")]);

const consolePort = await freePort();
if (rust) {
  log(`starting the Rust mutex-deadlock app (console-subscriber on 127.0.0.1:${consolePort})`);
  start(join(rustBinDir, "deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${consolePort}`, DEADLOCK_DELAY_MS: "1500" }, "deadlock-app");
  await new Promise((resolve) => setTimeout(resolve, 3000));
} else if (poolStory) {
  await playPoolStory(consolePort).catch(async (error) => {
    console.error(`the pool story could not start: ${error.message}`);
    await stopAll();
    process.exit(1);
  });
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
await stopAll();
process.exit(status);
