#!/usr/bin/env node
// CPU and memory of `consolation` side by side with the real `tokio-console`,
// both attached at the same time to one tokio app (interop/many-tasks) running
// N named tasks (default 10,000) that each wake on their own timer. Each
// console runs in its own tmux session at 160x50, so both draw a real screen.
//
// After a warm-up, CPU is sampled from /proc/<pid>/stat (user+system ticks)
// over the measuring window, and memory is VmRSS at the end plus VmHWM (peak).
// Needs `node scripts/ensure-prereqs.mjs --rust` and `npx tsc -b`.
//
//   node bench/console-vs-tokio-console.mjs [tasks] [warmupSeconds] [measureSeconds]
//
// CONSOLATION_NODE_FLAGS, if set, are extra node flags for consolation, e.g.
// "--optimize-for-size" to measure the low-memory configuration (V8 refuses
// that one in NODE_OPTIONS, so it goes on the command line).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot, tokioConsoleBin } from "../scripts/lib/paths.mjs";
import { startManyTasks } from "./lib/many-tasks.mjs";

const tasks = Number(process.argv[2] ?? 10_000);
const warmupS = Number(process.argv[3] ?? 15);
const measureS = Number(process.argv[4] ?? 30);
const CLOCK_TICKS = 100;
const nodeFlags = (process.env.CONSOLATION_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const { port, app } = await startManyTasks(tasks);

const sessions = [];
function startInTmux(label, argv) {
  const dir = mkdtempSync(join(tmpdir(), "bench-tmux-"));
  const socket = join(dir, "tmux.sock");
  execFileSync("tmux", ["-S", socket, "new-session", "-d", "-s", label, "-x", "160", "-y", "50", ...argv]);
  const panePid = Number(execFileSync("tmux", ["-S", socket, "list-panes", "-t", label, "-F", "#{pane_pid}"], { encoding: "utf8" }).trim());
  const session = { label, socket, dir, pid: panePid };
  sessions.push(session);
  return session;
}

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function procMemoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

function threadsOf(pid) {
  return readdirSync(`/proc/${pid}/task`).length;
}

const results = [];
try {
  const consoles = [
    startInTmux("tokio-console", [tokioConsoleBin, `http://127.0.0.1:${port}`]),
    startInTmux("consolation", [process.execPath, ...nodeFlags, join(repoRoot, "packages", "consolation", "bin", "consolation.js"), "--port", String(port)]),
  ];
  await sleep(warmupS * 1000);
  for (const c of consoles) {
    const screen = execFileSync("tmux", ["-S", c.socket, "capture-pane", "-p", "-t", c.label], { encoding: "utf8" });
    if (!/worker-\d+/.test(screen)) throw new Error(`${c.label} shows no worker tasks after warm-up:\n${screen}`);
  }
  const before = consoles.map((c) => procStat(c.pid));
  const appBefore = procStat(app.pid);
  await sleep(measureS * 1000);
  const appAfter = procStat(app.pid);
  consoles.forEach((c, i) => {
    const cpu = (procStat(c.pid) - before[i]) / CLOCK_TICKS / measureS;
    results.push({ console: c.label, cpuPercent: cpu * 100, ...procMemoryMb(c.pid), threads: threadsOf(c.pid) });
  });
  console.log(`many-tasks with ${tasks} tasks; warm-up ${warmupS}s, measured ${measureS}s; node ${process.version}; consolation node flags: ${nodeFlags.join(" ") || "none"}`);
  console.log(`app CPU while both consoles watched: ${(((appAfter - appBefore) / CLOCK_TICKS / measureS) * 100).toFixed(1)}%`);
  console.log("| console | CPU (% of one core) | RSS at end | peak RSS | threads |");
  console.log("|---|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.console} | ${r.cpuPercent.toFixed(1)}% | ${r.rss.toFixed(0)} MB | ${r.peak.toFixed(0)} MB | ${r.threads} |`);
  const [tc, ours] = results;
  console.log(`ratio consolation/tokio-console: CPU ${(ours.cpuPercent / tc.cpuPercent).toFixed(2)}, RSS ${(ours.rss / tc.rss).toFixed(2)}, peak ${(ours.peak / tc.peak).toFixed(2)}`);
} finally {
  for (const s of sessions) {
    try {
      execFileSync("tmux", ["-S", s.socket, "kill-server"]);
    } catch {}
    rmSync(s.dir, { recursive: true, force: true });
  }
  app.kill("SIGTERM");
}
