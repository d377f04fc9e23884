#!/usr/bin/env node
// Does attaching a console stall the host? Runs bench/lib/spawning-app.mjs
// (insight, RATE=200 tasks/s) for SECONDS and every EVERY seconds measures
// the host's event-loop delay (monitorEventLoopDelay) over two windows of
// WINDOW seconds each:
//   quiet:  no console attached
//   attach: one console takes a full snapshot (as `consolation dump` does)
//           and CONSOLES consoles attach at once and watch for the rest of
//           the window (as TUIs do)
// and prints p99 of both, the p99 an attach adds, and what insight retains.
// Build first: npx tsc -b
//
//   node bench/host-attach.mjs [seconds=300] [every=30] [consoles=4] [window=4]
import { ConsoleClient, fetchSnapshot, parseTarget, watchTarget } from "@async-insight/client";
import { startSpawningApp } from "./lib/app-process.mjs";

const seconds = Number(process.argv[2] ?? 300);
const every = Number(process.argv[3] ?? 30);
const consoles = Number(process.argv[4] ?? 4);
const windowS = Number(process.argv[5] ?? 4);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const app = await startSpawningApp({ RATE: process.env.RATE ?? "200" });
const started = Date.now();
const target = parseTarget(`http://127.0.0.1:${app.consolePort}`);
const rows = [];
console.log(
  `uptime  quiet p99  attach p99  added  attach max  snapshot  tasks/resources/ops retained  rss  host CPU quiet/attach  gc in attach window (count, total, max)`,
);
try {
  for (let at = every; at <= seconds; at += every) {
    await sleep(Math.max(0, started + (at - 2 * windowS) * 1000 - Date.now()));
    await app.ask("reset");
    await sleep(windowS * 1000);
    const quiet = await app.ask("report");

    await app.ask("reset");
    const windowEnds = Date.now() + windowS * 1000;
    const t0 = Date.now();
    const pieces = await fetchSnapshot(new ConsoleClient(target), { timeoutMs: 60_000 });
    const snapshotMs = Date.now() - t0;
    const watches = Array.from({ length: consoles }, () => watchTarget(new ConsoleClient(target), { onUpdate: () => {} }));
    await sleep(Math.max(0, windowEnds - Date.now()));
    for (const w of watches) w.stop();
    await Promise.all(watches.map((w) => w.done));
    const attach = await app.ask("report");
    const added = Math.max(0, attach.p99 - quiet.p99);
    const r = attach.retained;
    rows.push({ at, quiet: quiet.p99, attach: attach.p99, added, max: attach.max, snapshotMs, pieces: pieces.length });
    console.log(
      `${String(at).padStart(4)} s  ${quiet.p99.toFixed(1).padStart(7)} ms  ${attach.p99.toFixed(1).padStart(8)} ms  ${added.toFixed(1).padStart(5)} ms  ${attach.max.toFixed(1).padStart(7)} ms  ${String(snapshotMs).padStart(5)} ms in ${pieces.length} pieces  ${r.tasks}/${r.resources}/${r.ops}  ${(attach.rss / 1048576).toFixed(0)} MB  ${quiet.cpuMs}/${attach.cpuMs} ms  ${attach.gc.count}, ${attach.gc.totalMs} ms, ${attach.gc.maxMs} ms`,
    );
  }
} finally {
  app.stop();
}
const worst = rows.reduce((m, r) => Math.max(m, r.added), 0);
console.log(
  `worst p99 added by an attach: ${worst.toFixed(1)} ms over ${rows.length} attaches (RATE=${process.env.RATE ?? 200}/s, ${seconds} s, ${consoles} watching consoles + 1 snapshot per attach)`,
);
if (app.stderr()) console.log(`host stderr: ${app.stderr().trim()}`);
