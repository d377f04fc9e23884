// A host app for the reliability benchmarks: insight with defaults (console
// server on a free port), spawning RATE tasks a second (each sleeps 20-60 ms
// and takes a shared Mutex), serving HTTP, and measuring its own event-loop
// delay with perf_hooks.monitorEventLoopDelay (1 ms resolution). The parent
// talks to it over IPC:
//   { cmd: "reset" }  -> starts a fresh delay histogram
//   { cmd: "report" } -> { p50, p99, max (ms), rss, heapUsed (bytes), tasks retained }
import http from "node:http";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import * as insight from "async-insight";
import { Mutex, sleep } from "async-insight/sync";
// Same module instance as "insight" (dist/index.js re-exports it): for the retained counts.
import { internalState } from "../../packages/insight/dist/insight.js";

// Exit normally on SIGTERM so --cpu-prof can write its profile.
process.on("SIGTERM", () => process.exit(0));
const rate = Number(process.env.RATE ?? 200);
const handle = insight.init({ listenPort: 0, ...(process.env.MAX_STREAMS ? { maxStreams: Number(process.env.MAX_STREAMS) } : {}) });
const shared = new Mutex(0, { name: "counter" });
let spawned = 0;

// Spawn in batches every 50 ms: RATE per second without a timer per task.
const batch = Math.max(1, Math.round(rate / 20));
setInterval(() => {
  for (let i = 0; i < batch; i++) {
    spawned++;
    void insight.spawn(`job-${spawned % 50}`, async () => {
      await sleep(20 + (spawned % 5) * 10);
      const guard = await shared.lock();
      guard.value++;
      guard.release();
    });
  }
}, 50);

const server = http.createServer((_request, response) => {
  response.writeHead(200, { "content-type": "text/plain" });
  response.end("ok\n");
});
server.listen(0, "127.0.0.1");

let histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
// GC pauses in the window: a stall that is the collector's, not insight's code.
let gc = { count: 0, totalMs: 0, maxMs: 0 };
let cpuAtReset = process.cpuUsage();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ["gc"] });
const ms = (ns) => Math.round(ns / 1e4) / 100;

process.on("message", (message) => {
  if (message.cmd === "reset") {
    histogram.disable();
    histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    gc = { count: 0, totalMs: 0, maxMs: 0 };
    cpuAtReset = process.cpuUsage();
    process.send({ ok: true });
  } else if (message.cmd === "report") {
    const state = internalState();
    const memory = process.memoryUsage();
    process.send({
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      retained: state ? { tasks: state.runtime.tasks.size, resources: state.runtime.resources.size, ops: state.runtime.ops.size } : undefined,
      spawned,
      cpuMs: Math.round((process.cpuUsage(cpuAtReset).user + process.cpuUsage(cpuAtReset).system) / 1000),
      gc: { count: gc.count, totalMs: Math.round(gc.totalMs), maxMs: Math.round(gc.maxMs * 10) / 10 },
    });
  }
});

const address = await handle.ready;
await new Promise((resolve) => server.once("listening", resolve).listening && resolve());
process.send({ ready: true, consolePort: address?.port, httpPort: server.address().port });
