// The host of bench/scale-curve.mjs: a Node process that starts PER_MINUTE
// short-lived tasks a minute, in batches every 50 ms. Each task awaits a
// 5-20 ms timer, does a few microseconds of work and ends, so about
// PER_MINUTE / 60 * 12 ms / 1000 tasks are alive at any time.
//   MODE=plain    the same function, called directly (no insight loaded)
//   MODE=insight  insight.init() (console server on a free port) and insight.spawn
// The parent talks to it over IPC:
//   { cmd: "reset" }  -> starts a new CPU window
//   { cmd: "report" } -> { cpuMs, rss, started } for the window
import { setTimeout as sleep } from "node:timers/promises";

process.on("SIGTERM", () => process.exit(0));
const mode = process.env.MODE ?? "insight";
const perMinute = Number(process.env.PER_MINUTE ?? 10_000);
const insight = mode === "insight" ? await import("async-insight") : undefined;
const handle = insight?.init({ listenPort: 0 });

let sink = 0;
async function job(n) {
  await sleep(5 + (n % 16));
  for (let k = 0; k < 50; k++) sink = (sink + k * n) % 1_000_003;
}

let started = 0;
// Owed by the clock, not by the tick: a loaded machine fires the 50 ms timer late, and the
// next batch makes up for it. The fraction carried keeps low rates exact.
let owed = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  owed += (perMinute / 60_000) * (now - last);
  last = now;
  const batch = Math.floor(owed);
  owed -= batch;
  for (let i = 0; i < batch; i++) {
    const n = started++;
    if (insight) void insight.spawn(`job-${n % 64}`, () => job(n));
    else void job(n);
  }
}, 50);

let cpuAtReset = process.cpuUsage();
let startedAtReset = 0;
process.on("message", (message) => {
  if (message.cmd === "reset") {
    cpuAtReset = process.cpuUsage();
    startedAtReset = started;
    process.send({ ok: true });
  } else if (message.cmd === "report") {
    const cpu = process.cpuUsage(cpuAtReset);
    process.send({ cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage.rss(), started: started - startedAtReset, sink });
  }
});

const address = handle ? await handle.ready : undefined;
process.send({ ready: true, consolePort: address?.port });
