#!/usr/bin/env node
// Captures the README walkthrough's screens from the real thing: the story's
// Node service with insight, `consolation` under tmux at 132x30, walking
// task list (before and after the garbage-collection proof) → blocked task →
// its channel → the tasks that can free it → help → problems → D. Writes docs/screens/*.txt and refreshes the README's copies
// between its `<!-- screen:NAME -->` and `<!-- /screen -->` markers.
//
//   npx tsc -b && node scripts/capture-screens.mjs
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./lib/paths.mjs";

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
const service = spawn(process.execPath, [join(repoRoot, "examples", "node", "prototype-channel", "server.mjs")], {
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
request({ host: "127.0.0.1", port: httpPort, path: "/process" }).on("error", () => {}).end();

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
  tmux("new-session", "-d", "-s", "demo", "-x", "132", "-y", "30", "-c", repoRoot, process.execPath, consolation, "--port", String(consolePort), "--out-dir", screenOutDir);
  // Before the library's garbage-collection proof (>= 3 s of idleness), nothing is claimed.
  await shot("0-before-proof", [], (s) => /process-jobs\s+task\s+blocked/.test(s) && !s.includes("deadlock"), "the task list before the proof");
  await shot("1-task-list", [], (s) => s.includes("process-jobs") && s.includes("deadlock cycle was detected. hit P for more info."), "the task list with the deadlock warning");
  await shot("2-task-view", ["/", "process-jobs", "Enter", "Enter"], (s) => s.includes("prototype_channel") && s.includes("waiting on channel capacity"), "the task view");
  await shot("3-freers", ["Enter"], (s) => s.includes("Tasks that can free"), "the tasks that can free the channel");
  await shot("4-help", ["?"], (s) => s.includes("Help:"), "the help window");
  await shot("5-problems", ["Escape", "Escape", "Escape", "P"], (s) => s.includes("Problems (") && s.includes("deadlock cycle"), "the problem view");
  await shot("6-dot", ["D"], (s) => /wrote \S+\.dot/.test(s), "the written .dot");
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
}
