#!/usr/bin/env node
// How host cost and console cost grow with the number of tasks. For each
// rate (default 1k, 10k, 100k and 1M short-lived tasks a minute) it runs
// bench/lib/scale-app.mjs three ways and measures, over the same window
// after a warm-up:
//   host, plain:               no insight (the same work, called directly)
//   host, insight:             insight.init() + spawn, no console attached
//   host, insight + console:   the same process once `consolation` (the TUI,
//                              in tmux at 160x50) is attached and drawing
//   console:                   that consolation's CPU and RSS (end and peak)
// CPU is a share of one core (process.cpuUsage for the host, /proc ticks
// for the console); RSS is the resident set at the end of the window.
// Prints a Markdown table and writes an SVG plot (log-scale x) by hand.
// Needs `npx tsc -b` and tmux.
//
//   node bench/scale-curve.mjs [--rates 1000,10000,100000,1000000] [--warmup 5] [--measure 10]
//        [--svg docs/img/scale-curve.svg] [--json results.json]
//   node bench/scale-curve.mjs --plot results.json [--svg ...]   (re-draws a saved run)
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../scripts/lib/paths.mjs";
import { renderScaleSvg } from "./lib/scale-svg.mjs";
import { CLOCK_TICKS, procMemoryMb, procTicks, startInTmux } from "./lib/tmux-console.mjs";

const { values: args } = parseArgs({
  options: {
    rates: { type: "string", default: "1000,10000,100000,1000000" },
    warmup: { type: "string", default: "5" },
    measure: { type: "string", default: "10" },
    svg: { type: "string", default: join(repoRoot, "docs", "img", "scale-curve.svg") },
    json: { type: "string" },
    plot: { type: "string" },
  },
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const APP = join(repoRoot, "bench", "lib", "scale-app.mjs");
const CONSOLATION = join(repoRoot, "packages", "consolation", "bin", "consolation.js");

async function startApp(mode, perMinute) {
  const child = fork(APP, [], { env: { ...process.env, MODE: mode, PER_MINUTE: String(perMinute) }, stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const ready = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`scale-app exited (${code}): ${stderr}`)));
  });
  const ask = (cmd) =>
    new Promise((resolve) => {
      child.once("message", resolve);
      child.send({ cmd });
    });
  return { consolePort: ready.consolePort, ask, stop: () => child.kill("SIGKILL") };
}

/** CPU (% of one core), RSS (MB) and tasks started a minute over `seconds`; `during` runs alongside. */
async function measureHost(app, seconds) {
  await app.ask("reset");
  await sleep(seconds * 1000);
  const report = await app.ask("report");
  return { cpu: (report.cpuMs / (seconds * 1000)) * 100, rss: report.rss / 2 ** 20, perMinute: (report.started / seconds) * 60 };
}

async function measureRate(perMinute, warmupS, measureS) {
  const row = { perMinute };
  const plain = await startApp("plain", perMinute);
  try {
    await sleep(warmupS * 1000);
    row.plain = await measureHost(plain, measureS);
  } finally {
    plain.stop();
  }
  const app = await startApp("insight", perMinute);
  let consolation;
  try {
    await sleep(warmupS * 1000);
    row.insight = await measureHost(app, measureS);
    consolation = startInTmux("consolation", [process.execPath, CONSOLATION, "--port", String(app.consolePort)]);
    await sleep(warmupS * 1000);
    if (!/job-\d+/.test(consolation.screen())) throw new Error(`consolation shows no job tasks after the warm-up:\n${consolation.screen()}`);
    const ticks = procTicks(consolation.pid);
    row.watched = await measureHost(app, measureS);
    const screen = consolation.screen();
    row.console = {
      cpu: ((procTicks(consolation.pid) - ticks) / CLOCK_TICKS / measureS) * 100,
      ...procMemoryMb(consolation.pid),
      // What the console held at the end: live tasks plus those ended in its last 6 s.
      tasks: Number(/Tasks \((\d+)\)/.exec(screen)?.[1] ?? NaN),
      dropped: /dropped: ([^\n]*?)\s*$/m.exec(screen)?.[1] ?? "",
    };
  } finally {
    consolation?.stop();
    app.stop();
  }
  return row;
}

const fmtRate = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const pct = (n) => `${n.toFixed(1)} %`;
const mb = (n) => `${n.toFixed(0)} MB`;

function printTable(run) {
  console.log(`node ${run.node}, ${run.date}, warm-up ${run.warmupS} s, measured ${run.measureS} s; CPU in % of one core, RSS at the end of the window`);
  console.log("");
  console.log(
    "| tasks/min (achieved) | host plain CPU / RSS | host insight CPU / RSS | host insight + console CPU / RSS | consolation CPU / RSS (peak) | tasks in the console |",
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of run.rows) {
    console.log(
      `| ${fmtRate(r.perMinute)} (${fmtRate(Math.round(r.watched.perMinute / 100) * 100)}) | ${pct(r.plain.cpu)} / ${mb(r.plain.rss)} | ${pct(r.insight.cpu)} / ${mb(r.insight.rss)} | ${pct(r.watched.cpu)} / ${mb(r.watched.rss)} | ${pct(r.console.cpu)} / ${mb(r.console.rss)} (${mb(r.console.peak)}) | ${r.console.tasks ?? "?"} |`,
    );
  }
  const dropped = run.rows.filter((r) => r.console.dropped && !/^0 async ops, 0 tasks, 0 resources$/.test(r.console.dropped));
  for (const r of dropped) console.log(`\nat ${fmtRate(r.perMinute)}/min the console reported dropped events: ${r.console.dropped}`);
}

let run;
if (args.plot) run = JSON.parse(readFileSync(args.plot, "utf8"));
else {
  const warmupS = Number(args.warmup);
  const measureS = Number(args.measure);
  run = { node: process.version, date: new Date().toISOString().slice(0, 16).replace("T", " "), warmupS, measureS, rows: [] };
  for (const rate of args.rates.split(",").map(Number)) {
    process.stderr.write(`measuring ${fmtRate(rate)} tasks/min...\n`);
    run.rows.push(await measureRate(rate, warmupS, measureS));
  }
  if (args.json) writeFileSync(args.json, `${JSON.stringify(run, null, 2)}\n`);
}
printTable(run);
writeFileSync(args.svg, renderScaleSvg(run));
console.log(`\nplot: ${args.svg}`);
