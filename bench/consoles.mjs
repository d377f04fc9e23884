#!/usr/bin/env node
// Host RSS and app latency with N consoles trying to attach at once.
// Runs bench/lib/spawning-app.mjs (insight defaults, RATE=200 tasks/s) for
// WARMUP seconds, then for each N in COUNTS: N consoles (in a separate
// process, so their own work does not skew the timing) attach together and
// watch for HOLD seconds while this process requests the app's HTTP
// endpoint 50 times a second; prints the host's peak RSS, the app's request
// latency (p50/p99/max) and the host's event-loop delay p99, how many
// consoles were admitted and what the refused ones were told.
// Build first: npx tsc -b
//
//   node bench/consoles.mjs [counts=1,8,50] [hold=10] [warmup=30]
import { fork } from "node:child_process";
import http from "node:http";
import { ConsoleClient, parseTarget, watchTarget } from "@async-insight/client";
import { startSpawningApp } from "./lib/app-process.mjs";

if (process.argv[2] === "--consoles") {
  // The console process: N watchers on the target until told to stop.
  const n = Number(process.argv[3]);
  const target = parseTarget(`http://127.0.0.1:${process.argv[4]}`);
  let connected = 0;
  const refusals = new Map();
  const watches = Array.from({ length: n }, () => {
    let counted = false;
    return watchTarget(
      new ConsoleClient(target),
      {
        onUpdate: () => {},
        onConnection: (state) => {
          if (state.status === "connected" && !counted) {
            counted = true;
            connected++;
          }
          if (state.status === "reconnecting") {
            const reason = state.reason.replace(/^http:\/\/\S+ /, "");
            refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
          }
        },
      },
      { initialMs: 1000, maxMs: 5000 },
    );
  });
  process.on("message", async () => {
    for (const w of watches) w.stop();
    await Promise.all(watches.map((w) => w.done));
    process.send({ connected, reason: [...refusals.keys()][0] });
    process.exit(0);
  });
} else {
  await main();
}

async function main() {
  const counts = (process.argv[2] ?? "1,8,50").split(",").map(Number);
  const hold = Number(process.argv[3] ?? 10);
  const warmup = Number(process.argv[4] ?? 30);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

  function get(port) {
    const started = performance.now();
    return new Promise((resolve) => {
      const request = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 10_000 }, (response) => {
        response.resume();
        response.on("end", () => resolve(performance.now() - started));
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(10_000));
    });
  }

  const app = await startSpawningApp({ RATE: process.env.RATE ?? "200" });
  const _target = parseTarget(`http://127.0.0.1:${app.consolePort}`);
  await sleep(warmup * 1000);
  console.log(`consoles  admitted  host peak rss  app latency p50/p99/max  host loop delay p99/max  refused with`);
  try {
    for (const n of counts) {
      await app.ask("reset");
      const consoles = n > 0 ? fork(new URL(import.meta.url).pathname, ["--consoles", String(n), String(app.consolePort)]) : undefined;
      const latencies = [];
      let peakRss = 0;
      const until = Date.now() + hold * 1000;
      const sampler = (async () => {
        while (Date.now() < until) {
          peakRss = Math.max(peakRss, (await app.ask("report")).rss);
          await sleep(250);
        }
      })();
      const requests = [];
      while (Date.now() < until) {
        requests.push(get(app.httpPort).then((ms) => latencies.push(ms)));
        await sleep(20);
      }
      await Promise.all([sampler, ...requests]);
      const report = await app.ask("report");
      const { connected, reason } = consoles
        ? await new Promise((resolve) => {
            consoles.once("message", resolve);
            consoles.send("stop");
          })
        : { connected: 0, reason: undefined };
      latencies.sort((a, b) => a - b);
      console.log(
        `${String(n).padStart(8)}  ${String(connected).padStart(8)}  ${(peakRss / 1048576).toFixed(0).padStart(10)} MB  ${percentile(latencies, 50).toFixed(1)}/${percentile(latencies, 99).toFixed(1)}/${latencies.at(-1).toFixed(1)} ms  ${report.p99.toFixed(1).padStart(10)}/${report.max.toFixed(0)} ms  ${reason ? `${reason.slice(0, 90)}` : "-"}`,
      );
      await sleep(3000);
    }
  } finally {
    app.stop();
  }
  if (app.stderr()) console.log(`host stderr: ${app.stderr().trim()}`);
}
