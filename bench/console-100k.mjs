#!/usr/bin/env node
// consolation and the real tokio-console side by side at 100k tasks (issue 17:
// "less than half of tokio-console's RSS at 100k tasks").
//
// bench/console-vs-tokio-console.mjs runs every task of interop/many-tasks on
// a 50 ms-1 s timer; at 100k tasks that saturates a 2-core machine and
// console-subscriber never delivers every task to either console. Here the
// app runs mostly idle (ACTIVE tasks on timers, the rest parked on a Notify
// that a driver pokes round robin; see interop/many-tasks/src/main.rs), so
// both consoles can hold every task. Both run in their own tmux session at
// 160x50 and draw a real screen.
//
// The bench polls both screens until each shows at least 99 % of the tasks
// ("Tasks (N)" in the header), giving up after `maxWaitSeconds` (then it says
// so, and measures anyway). It then measures CPU (user+system ticks from
// /proc/<pid>/stat) over `measureSeconds`, and RSS (VmRSS at the end, VmHWM
// for the peak). Needs `node scripts/ensure-prereqs.mjs --rust` and
// `npx tsc -b`. consolation runs on the node that runs this script.
//
//   node bench/console-100k.mjs [tasks] [active] [maxWaitSeconds] [measureSeconds]
//
// Defaults: 100000 tasks, 1000 active, wait at most 300 s, measure 15 s.
// CONSOLATION_NODE_FLAGS, if set, are extra node flags for consolation (as in
// bench/console-vs-tokio-console.mjs), e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot, tokioConsoleBin } from "../scripts/lib/paths.mjs";
import { startManyTasks } from "./lib/many-tasks.mjs";
import { CLOCK_TICKS, procMemoryMb, procTicks, startInTmux, ratioLine } from "./lib/tmux-console.mjs";

const tasks = Number(process.argv[2] ?? 100_000);
const active = Number(process.argv[3] ?? 1000);
const maxWaitS = Number(process.argv[4] ?? 300);
const measureS = Number(process.argv[5] ?? 15);
const wanted = Math.ceil(tasks * 0.99);
// console-subscriber's event buffer: its default (102,400) unless
// EVENT_BUFFER is set. Not the 10k bench's 10 events a task: console-subscriber
// drains the buffer at once only when it is half full, and otherwise 128
// events a second (one coop budget of tokio's mpsc per publish tick), so
// 100k spawn events in a 1M buffer reach the consoles at ~110 tasks/s. The
// app spawns in paced batches instead, so the default buffer does not overflow.
const bufferCapacity = Number(process.env.EVENT_BUFFER ?? 102_400);
const nodeFlags = (process.env.CONSOLATION_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  execFileSync("uptime", { encoding: "utf8" })
    .trim()
    .replace(/^.*load average:\s*/, "");
const shownTasks = (screen) => Number(/Tasks \((\d+)\)/.exec(screen)?.[1] ?? Number.NaN);
// How old the data on a screen is: both consoles sort by Total, longest
// first, and the first row is a runtime thread (a `blocking` task) alive
// since the app started, so app uptime minus that Total is how far the
// console's picture lags behind the app.
const UNIT_S = { h: 3600, m: 60, s: 1, ms: 1e-3, µs: 1e-6, ns: 1e-9 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|ms|µs|ns|m|s))+$/;
function oldestTotalS(screen) {
  const lines = screen.split("\n");
  const header = lines.findIndex((line) => /\bID\b/.test(line) && /Total/.test(line));
  const token = lines[header + 1]?.split(/[\s│]+/).find((t) => DURATION.test(t));
  if (header < 0 || !token) return Number.NaN;
  let total = 0;
  for (const [, n, unit] of token.matchAll(/(\d+(?:\.\d+)?)(h|ms|µs|ns|m|s)/g)) total += Number(n) * UNIT_S[unit];
  return total;
}

const loadAtStart = load();
const started = Date.now();
const { port, app } = await startManyTasks(tasks, { TOKIO_CONSOLE_BUFFER_CAPACITY: String(bufferCapacity) }, { idle: { active } });
const consoles = [];
try {
  consoles.push(startInTmux("tokio-console", [tokioConsoleBin, `http://127.0.0.1:${port}`]));
  consoles.push(
    startInTmux("consolation", [process.execPath, ...nodeFlags, join(repoRoot, "packages", "consolation", "bin", "consolation.js"), "--port", String(port)]),
  );
  const reachedAt = consoles.map(() => Number.NaN);
  const lastShown = consoles.map(() => Number.NaN);
  // Poll until both hold 99 % of the tasks, or until the time is up.
  while (Date.now() - started < maxWaitS * 1000 && reachedAt.some(Number.isNaN)) {
    await sleep(2000);
    consoles.forEach((c, i) => {
      lastShown[i] = shownTasks(c.screen());
      if (Number.isNaN(reachedAt[i]) && lastShown[i] >= wanted) reachedAt[i] = (Date.now() - started) / 1000;
    });
  }
  const gaveUp = reachedAt.some(Number.isNaN);
  const before = consoles.map((c) => procTicks(c.pid));
  const appBefore = procTicks(app.pid);
  await sleep(measureS * 1000);
  const appAfter = procTicks(app.pid);
  const results = consoles.map((c, i) => ({
    console: c.label,
    tasks: shownTasks(c.screen()),
    lagS: (Date.now() - started) / 1000 - oldestTotalS(c.screen()),
    reached: reachedAt[i],
    cpuPercent: ((procTicks(c.pid) - before[i]) / CLOCK_TICKS / measureS) * 100,
    ...procMemoryMb(c.pid),
  }));
  console.log(
    `many-tasks with ${tasks} tasks, ${active} on timers (event buffer ${bufferCapacity}); measured ${measureS}s; node ${process.version}; load average at start ${loadAtStart}, at end ${load()}`,
  );
  if (gaveUp) {
    const missing = consoles.flatMap((c, i) => (Number.isNaN(reachedAt[i]) ? [`${c.label} showed ${lastShown[i]}`] : []));
    console.log(`GAVE UP after ${maxWaitS}s waiting for ${wanted} tasks: ${missing.join(", ")}; measured anyway`);
  }
  console.log(`app CPU while both consoles watched: ${(((appAfter - appBefore) / CLOCK_TICKS / measureS) * 100).toFixed(1)}%`);
  console.log("| console | tasks shown | 99 % shown after | data age at end | CPU (% of one core) | RSS at end | peak RSS |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const reached = Number.isNaN(r.reached) ? "never" : `${r.reached.toFixed(0)} s`;
    const cells = [r.console, r.tasks, reached, `${r.lagS.toFixed(0)} s`, `${r.cpuPercent.toFixed(1)}%`, `${r.rss.toFixed(0)} MB`, `${r.peak.toFixed(0)} MB`];
    console.log(`| ${cells.join(" | ")} |`);
  }
  console.log(ratioLine(results));
} finally {
  for (const c of consoles) c.stop();
  app.kill("SIGTERM");
}
