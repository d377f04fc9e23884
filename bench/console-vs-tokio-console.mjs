#!/usr/bin/env node
// CPU and memory of `consolation` side by side with the real `tokio-console`,
// both attached at the same time to one tokio app (interop/many-tasks) running
// N named tasks (default 10,000) that each wake on their own timer. Each
// console runs in its own tmux session at 160x50, so both draw a real screen.
//
// After a warm-up, CPU is sampled from /proc/<pid>/stat (user+system ticks)
// over the measuring window, and memory is VmRSS at the end plus VmHWM (peak).
// The task count each console shows at the end is printed too: past 10k
// tasks console-subscriber's default event buffer overflows while the tasks
// spawn, so the app is given one of 10 events a task (at least the default
// 102,400), and both consoles then hold every task.
// Needs `node scripts/ensure-prereqs.mjs --rust` and `npx tsc -b`.
//
//   node bench/console-vs-tokio-console.mjs [tasks] [warmupSeconds] [measureSeconds]
//
// CONSOLATION_NODE_FLAGS, if set, are extra node flags for consolation, e.g.
// "--optimize-for-size" (V8 refuses that one in NODE_OPTIONS, so it goes on
// the command line). CONSOLATION_HEAP=default runs consolation with V8's
// default heap sizing instead of its own (packages/consolation/src/heap-tuning.ts).
import { join } from "node:path";
import { repoRoot, tokioConsoleBin } from "../scripts/lib/paths.mjs";
import { startManyTasks } from "./lib/many-tasks.mjs";
import { CLOCK_TICKS, procMemoryMb, procTicks, startInTmux, ratioLine } from "./lib/tmux-console.mjs";
import { readdirSync } from "node:fs";

const tasks = Number(process.argv[2] ?? 10_000);
const warmupS = Number(process.argv[3] ?? 15);
const measureS = Number(process.argv[4] ?? 30);
const nodeFlags = (process.env.CONSOLATION_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const bufferCapacity = Math.max(102_400, tasks * 10);

const { port, app } = await startManyTasks(tasks, { TOKIO_CONSOLE_BUFFER_CAPACITY: String(bufferCapacity) });
const threadsOf = (pid) => readdirSync(`/proc/${pid}/task`).length;
const shownTasks = (screen) => Number(/Tasks \((\d+)\)/.exec(screen)?.[1] ?? NaN);

const results = [];
const consoles = [];
try {
  consoles.push(startInTmux("tokio-console", [tokioConsoleBin, `http://127.0.0.1:${port}`]));
  consoles.push(
    startInTmux("consolation", [process.execPath, ...nodeFlags, join(repoRoot, "packages", "consolation", "bin", "consolation.js"), "--port", String(port)]),
  );
  await sleep(warmupS * 1000);
  for (const c of consoles) {
    const screen = c.screen();
    if (!/worker-\d+/.test(screen)) throw new Error(`${c.label} shows no worker tasks after warm-up:\n${screen}`);
  }
  const before = consoles.map((c) => procTicks(c.pid));
  const appBefore = procTicks(app.pid);
  await sleep(measureS * 1000);
  const appAfter = procTicks(app.pid);
  consoles.forEach((c, i) => {
    const cpu = (procTicks(c.pid) - before[i]) / CLOCK_TICKS / measureS;
    results.push({ console: c.label, cpuPercent: cpu * 100, ...procMemoryMb(c.pid), threads: threadsOf(c.pid), tasks: shownTasks(c.screen()) });
  });
  const heap = process.env.CONSOLATION_HEAP === "default" ? "V8 defaults" : "tuned";
  console.log(
    `many-tasks with ${tasks} tasks (event buffer ${bufferCapacity}); warm-up ${warmupS}s, measured ${measureS}s; node ${process.version}; consolation node flags: ${nodeFlags.join(" ") || "none"}, heap ${heap}`,
  );
  console.log(`app CPU while both consoles watched: ${(((appAfter - appBefore) / CLOCK_TICKS / measureS) * 100).toFixed(1)}%`);
  console.log("| console | tasks shown | CPU (% of one core) | RSS at end | peak RSS | threads |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of results)
    console.log(`| ${r.console} | ${r.tasks} | ${r.cpuPercent.toFixed(1)}% | ${r.rss.toFixed(0)} MB | ${r.peak.toFixed(0)} MB | ${r.threads} |`);
  console.log(ratioLine(results));
} finally {
  for (const c of consoles) c.stop();
  app.kill("SIGTERM");
}
