#!/usr/bin/env node
// Memory of the consolation client pipeline alone (no terminal), attached to
// interop/many-tasks: heapUsed and RSS sampled once a second, with or without
// the engine's RuntimeStore applying each update. Separates what the wire
// client costs from what the store costs.
//
//   node bench/console-memory.mjs [none|store] [tasks] [seconds] [snapshot-path]
//
// The heap is tuned as bin/consolation.js tunes it; CONSOLATION_HEAP=default
// leaves V8's defaults.
import { writeHeapSnapshot } from "node:v8";
import { tuneHeap } from "../packages/consolation/dist/cli/heap-tuning.js";
import { ConsoleClient, parseTarget, watchTarget } from "@async-insight/client";
import { RuntimeStore } from "@async-insight/engine";
import { startManyTasks } from "./lib/many-tasks.mjs";

tuneHeap(process.env);
const mode = process.argv[2] ?? "store";
const tasks = Number(process.argv[3] ?? 10_000);
const seconds = Number(process.argv[4] ?? 20);
const snapshotPath = process.argv[5];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const { port, app } = await startManyTasks(tasks);

const store = mode === "store" ? new RuntimeStore() : undefined;
let updates = 0;
let applyMs = 0;
const watch = watchTarget(new ConsoleClient(parseTarget(`http://127.0.0.1:${port}`)), {
  onUpdate(update) {
    updates++;
    const t0 = performance.now();
    store?.applyUpdate(update);
    applyMs += performance.now() - t0;
  },
});

const mb = (n) => (n / 1024 / 1024).toFixed(0);
let peakRss = 0;
let peakHeap = 0;
try {
  for (let s = 1; s <= seconds; s++) {
    await sleep(1000);
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    console.log(
      `${s}s updates=${updates} heapUsed=${mb(m.heapUsed)} MB heapTotal=${mb(m.heapTotal)} MB ext=${mb(m.external)} MB ab=${mb(m.arrayBuffers)} MB rss=${mb(m.rss)} MB` +
        (store ? ` tasks=${store.taskCount} resources=${store.resources().length} ops=${store.asyncOps().length}` : ""),
    );
  }
  console.log(
    `mode=${mode} updates=${updates} apply avg=${(applyMs / Math.max(1, updates)).toFixed(1)} ms peak heapUsed=${mb(peakHeap)} MB peak rss=${mb(peakRss)} MB`,
  );
  if (snapshotPath) console.log(`snapshot: ${writeHeapSnapshot(snapshotPath)}`);
} finally {
  watch.stop();
  app.kill("SIGTERM");
}
await watch.done;
process.exit(0);
