#!/usr/bin/env node
// Memory of the consolation client pipeline alone (no terminal), attached to
// interop/many-tasks: heapUsed and RSS sampled once a second, with or without
// the engine's RuntimeStore applying each update. Separates what the wire
// client costs from what the store costs.
//
//   node bench/console-memory.mjs [none|store] [tasks] [seconds] [snapshot-path]
//
// `engine` mode measures the engine alone, without the app or the client:
// the heap a RuntimeStore retains after applying a stream (after full GCs),
// per task. The stream is a recording (`consolation record` of
// interop/many-tasks) or, given a number, the engine's own many-tasks
// builder: that many tasks, then five stats-only updates.
//
//   node bench/console-memory.mjs engine <tasks|recording.jsonl> [snapshot-path]
//
// `idle` mode is the whole console with nothing to watch: bin/consolation.js,
// run by this node, drawing in a 160x50 tmux session and attached to a port
// nobody listens on; after `seconds` (default 5) it prints VmRSS and its
// anonymous / file-backed split (the node binary's pages are file-backed).
//
//   node bench/console-memory.mjs idle [seconds]
//
// The heap is tuned as bin/consolation.js tunes it; CONSOLATION_HEAP=default
// leaves V8's defaults.
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { setFlagsFromString, writeHeapSnapshot } from "node:v8";
import { toBinary } from "@bufbuild/protobuf";
import { lazyUpdateFromBinary, UpdateSchema } from "@async-insight/protocol";
import { decodeRecordingLine } from "@async-insight/protocol/recording";
import { manyTasksUpdate } from "@async-insight/engine/testing";
import { tuneHeap } from "../packages/consolation/dist/heap-tuning.js";
import { ConsoleClient, parseTarget, watchTarget } from "@async-insight/client";
import { RuntimeStore } from "@async-insight/engine";
import { startManyTasks } from "./lib/many-tasks.mjs";
import { startInTmux } from "./lib/tmux-console.mjs";

tuneHeap(process.env);
const mode = process.argv[2] ?? "store";
const tasks = Number(process.argv[3] ?? 10_000);
const seconds = Number(process.argv[4] ?? 20);
const snapshotPath = process.argv[5];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each update of the stream as bytes, read lazily by the store as the live client's are. */
function engineStream(source) {
  if (/^\d+$/.test(source)) {
    const count = Number(source);
    const frames = [toBinary(UpdateSchema, manyTasksUpdate(count, false, 20n))];
    for (let s = 21n; s <= 25n; s++) frames.push(toBinary(UpdateSchema, manyTasksUpdate(count, true, s)));
    return frames;
  }
  const lines = readFileSync(source, "utf8").split("\n").filter(Boolean);
  return lines.flatMap((line, i) => {
    const decoded = decodeRecordingLine(line, i === 0);
    return decoded.message?.kind === "update" ? [toBinary(UpdateSchema, decoded.message.update)] : [];
  });
}

if (mode === "idle") {
  const waitS = Number(process.argv[3] ?? 5);
  const bin = new URL("../packages/consolation/bin/consolation.js", import.meta.url).pathname;
  // Port 9 (discard) refuses on any ordinary machine: the console shows its reconnect line and waits.
  const idle = startInTmux("consolation-idle", [process.execPath, bin, "--port", "9"]);
  try {
    await sleep(waitS * 1000);
    const status = readFileSync(`/proc/${idle.pid}/status`, "utf8");
    const mb = (key) => (Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1]) / 1024).toFixed(1);
    console.log(`mode=idle node ${process.version} after ${waitS}s: rss=${mb("VmRSS")} MB anon=${mb("RssAnon")} MB file=${mb("RssFile")} MB`);
  } finally {
    idle.stop();
  }
  process.exit(0);
}

if (mode === "engine") {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const heap = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const frames = engineStream(process.argv[3] ?? "10000");
  const apply = (store) => {
    for (const frame of frames) store.applyUpdate(lazyUpdateFromBinary(frame));
  };
  const base = heap();
  let store = new RuntimeStore();
  const t0 = performance.now();
  apply(store);
  const ms = performance.now() - t0;
  const withStore = heap();
  const counts = `tasks=${store.taskCount} resources=${store.resources().length} ops=${store.asyncOps().length}`;
  if (process.argv[4]) console.log(`snapshot: ${writeHeapSnapshot(process.argv[4])}`);
  const taskCount = store.taskCount;
  store = undefined;
  // What the store holds itself; the rest of "retained" is module-level tables that outlive it (interned strings).
  const storeAlone = withStore - heap();
  const mib = (n) => (n / 1048576).toFixed(2);
  console.log(
    `mode=engine updates=${frames.length} ${counts} retained=${mib(withStore - base)} MB store=${mib(storeAlone)} MB ` +
      `store bytes/task=${Math.round(storeAlone / taskCount)} apply=${ms.toFixed(0)} ms`,
  );
  process.exit(0);
}

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
