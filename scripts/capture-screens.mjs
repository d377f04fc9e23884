#!/usr/bin/env node
// Captures the README walkthrough's screens from the real thing: the story's
// Node service with insight, `consolation` under tmux at 132x30, walking
// task list (before and after the garbage-collection proof) → blocked task →
// its channel → the tasks that can free it → help → problems → D. Writes docs/screens/*.txt and refreshes the README's copies
// between its `<!-- screen:NAME -->` and `<!-- /screen -->` markers.
//
//   npx tsc -b && node scripts/capture-screens.mjs
//
// With --story pool it captures the second story's screens instead (docs/screens/pool-*.txt and the README's
// `screen:pool-*` markers), leaving the first story's untouched: the orders service on a temporary PostgreSQL,
// deadlocked by concurrent orders, walked task list → problem view → a holder → the tasks that can free the pool.
//
//   npx tsc -b && node scripts/capture-screens.mjs --story pool
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./lib/paths.mjs";
import { startPostgres } from "./lib/servers.mjs";

const poolStory = process.argv.slice(2).join(" ") === "--story pool";

const outDir = join(repoRoot, "docs", "screens");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const consolePort = await freePort();
const postgres = poolStory ? await startPostgres() : undefined;
const service = poolStory
  ? spawn(process.execPath, ["--import", "async-insight/register", "server.mjs"], {
      cwd: join(repoRoot, "examples", "node", "orders-service"),
      env: { ...process.env, DATABASE_URL: postgres.url, PORT: "0", INSIGHT_BIND: `127.0.0.1:${consolePort}` },
      stdio: ["ignore", "pipe", "inherit"],
    })
  : spawn(process.execPath, [join(repoRoot, "examples", "node", "prototype-channel", "server.mjs")], {
      env: { ...process.env, PORT: "0", INSIGHT_BIND: `127.0.0.1:${consolePort}` },
      stdio: ["ignore", "pipe", "inherit"],
    });
const httpPort = await new Promise((resolve, reject) => {
  let seen = "";
  service.stdout.on("data", (chunk) => {
    seen += chunk;
    const match = /http listening on port (\d+)/.exec(seen);
    if (match) resolve(Number(match[1]));
  });
  service.once("exit", () => reject(new Error("the service exited")));
});
/** POST /orders: resolves whether it was answered within 2 s; one that was not stays connected, still waiting, as in `npm start`. */
const order = () =>
  new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port: httpPort, path: "/orders", method: "POST", timeout: 2000, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on("timeout", () => resolve(false)).on("error", () => resolve(false));
    req.end(JSON.stringify({ customer: "ada", items: [{ sku: "mug", quantity: 1 }] }));
  });
if (poolStory) {
  // As `npm start -- --story pool` does: rounds of 8 concurrent orders until some hang.
  for (let round = 0; round < 5; round++) if (!(await Promise.all(Array.from({ length: 8 }, order))).every(Boolean)) break;
} else {
  request({ host: "127.0.0.1", port: httpPort, path: "/process" })
    .on("error", () => {})
    .end();
}

const tmuxDir = mkdtempSync(join(tmpdir(), "screens-"));
const socket = join(tmuxDir, "tmux.sock");
const tmux = (...args) => execFileSync("tmux", ["-S", socket, ...args], { encoding: "utf8" });
const screenOutDir = mkdtempSync(join(tmpdir(), "screens-dot-"));
const consolation = join(repoRoot, "packages", "consolation", "bin", "consolation.js");

async function waitFor(predicate, what) {
  for (let i = 0; i < 150; i++) {
    const screen = tmux("capture-pane", "-p", "-t", "demo");
    if (predicate(screen)) return screen.replace(/\s+$/gm, "").replace(/\n+$/, "\n").replaceAll(screenOutDir, "/tmp");
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}:\n${tmux("capture-pane", "-p", "-t", "demo")}`);
}

const shots = [];
async function shot(name, keys, predicate, what) {
  if (keys.length) tmux("send-keys", "-t", "demo", ...keys);
  shots.push([name, await waitFor(predicate, what)]);
}

try {
  tmux(
    "new-session",
    "-d",
    "-s",
    "demo",
    "-x",
    "132",
    "-y",
    "30",
    "-c",
    repoRoot,
    process.execPath,
    consolation,
    "--port",
    String(consolePort),
    "--out-dir",
    screenOutDir,
  );
  if (poolStory) await poolShots();
  else await storyShots();
  tmux("send-keys", "-t", "demo", "q");
  mkdirSync(outDir, { recursive: true });
  for (const [name, screen] of shots) writeFileSync(join(outDir, `${name}.txt`), screen);
  const readmePath = join(repoRoot, "README.md");
  let readme = readFileSync(readmePath, "utf8");
  for (const [name, screen] of shots) {
    const marker = new RegExp(`(<!-- screen:${name} -->\\n)[\\s\\S]*?(<!-- /screen -->)`);
    readme = readme.replace(marker, (_, open, close) => `${open}\`\`\`text\n${screen.trimEnd()}\n\`\`\`\n${close}`);
  }
  writeFileSync(readmePath, readme);
  console.log(`wrote ${shots.length} screens to ${outDir} and README.md`);
} finally {
  try {
    tmux("kill-server");
  } catch {}
  rmSync(tmuxDir, { recursive: true, force: true });
  rmSync(screenOutDir, { recursive: true, force: true });
  service.kill("SIGTERM");
  // The service first: a database that goes away under its live pool makes it print errors.
  if (postgres) await new Promise((resolve) => (service.exitCode === null ? service.once("exit", resolve) : resolve())).then(() => postgres.stop());
}

async function storyShots() {
  // Before the library's garbage-collection proof (>= 3 s of idleness), nothing is claimed.
  await shot("0-before-proof", [], (s) => /process-jobs\s+task\s+blocked/.test(s) && !s.includes("deadlock"), "the task list before the proof");
  await shot(
    "1-task-list",
    [],
    (s) => s.includes("process-jobs") && s.includes("deadlock cycle was detected. hit P for more info."),
    "the task list with the deadlock warning",
  );
  await shot(
    "2-task-view",
    ["/", "process-jobs", "Enter", "Enter"],
    (s) => s.includes("prototype_channel") && s.includes("waiting on channel capacity"),
    "the task view",
  );
  await shot("3-freers", ["Enter"], (s) => s.includes("Tasks that can free"), "the tasks that can free the channel");
  await shot("4-help", ["?"], (s) => s.includes("Help:"), "the help window");
  await shot("5-problems", ["Escape", "Escape", "Escape", "P"], (s) => s.includes("Problems (") && s.includes("deadlock cycle"), "the problem view");
  await shot("6-dot", ["D"], (s) => /wrote \S+\.dot/.test(s), "the written .dot");
}

async function poolShots() {
  await shot(
    "pool-1-task-list",
    [],
    (s) => /POST \/orders\s+reques\S*\s+blocked/.test(s) && s.includes("deadlock cycle was detected. hit P for more info."),
    "the task list with the deadlock warning",
  );
  await shot("pool-2-problems", ["P"], (s) => s.includes("Problems (") && s.includes("docs/problems/deadlock-cycle.md"), "the problem view");
  await shot("pool-3-task-view", ["Enter"], (s) => /Task \d+ POST \/orders/.test(s) && s.includes("Waiting on"), "a holder's task view");
  await shot("pool-4-freers", ["Enter"], (s) => s.includes("Tasks that can free"), "the tasks that can free the pool");
  // The same analysis as CI sees it: `check`'s text report and its exit code.
  const check = spawnSync(process.execPath, [consolation, "check", "--port", String(consolePort), "--for", "3s"], { cwd: repoRoot, encoding: "utf8" });
  if (check.status !== 1) throw new Error(`consolation check exited ${check.status}, not 1:\n${check.stdout}${check.stderr}`);
  shots.push(["pool-5-check", `$ npx consolation check --port ${consolePort} --for 3s\n${check.stdout}$ echo $?\n${check.status}\n`]);
}
