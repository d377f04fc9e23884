#!/usr/bin/env node
// Frame render time of the task list with N live tasks (default 10,000):
// the whole pipeline a redraw runs — rows from the store, filter, sort, and
// the visible rows rendered to ANSI lines — at 120x40. Prints the median and
// p95 over many frames, with a stats update applied between frames so every
// frame recomputes from fresh data. Run `npx tsc -b` first.
//
// The heap is tuned as bin/consolation.js tunes it (CONSOLATION_HEAP=default
// leaves V8's defaults). Besides wall time, each frame's CPU time
// (process.cpuUsage: this process's user+system, GC threads included) is
// reported: on a shared machine wall time also counts waiting for a core.
import { tuneHeap } from "../packages/consolation/dist/heap-tuning.js";
import { createEngineViewStore } from "../packages/consolation/dist/tui/state/from-engine.js";
import { manyTasksUpdate } from "@async-insight/engine/testing";
import { initialUiState } from "../packages/consolation/dist/tui/state/ui-state.js";
import { renderFrame } from "../packages/consolation/dist/tui/view/frame.js";
import { ScreenWriter } from "../packages/consolation/dist/tui/term/screen-writer.js";

const heapFlags = tuneHeap(process.env);
const tasks = Number(process.argv[2] ?? 10_000);
const frames = Number(process.argv[3] ?? 200);
const source = createEngineViewStore();
source.applyUpdate(manyTasksUpdate(tasks));
const statsUpdate = manyTasksUpdate(tasks, true, 21n);
const writer = new ScreenWriter({ write: () => {} });
const ui = initialUiState();
const connection = { target: "http://127.0.0.1:6669", state: { status: "connected", since: 0 }, temporality: "live" };
const size = { columns: 120, rows: 40 };

const times = [];
const cpuTimes = [];
for (let i = 0; i < frames + 20; i++) {
  // A stats update for every task, as a busy target sends each publish interval.
  source.applyUpdate(statsUpdate);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const lines = renderFrame({ data: source.view(), ui, connection, size, nowMs: Date.now() });
  writer.draw(lines, size.columns, size.rows);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  if (i >= 20) {
    // the first frames warm up the JIT
    times.push(ms);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const at = (list, q) => list[Math.min(list.length - 1, Math.floor(q * list.length))];
console.log(
  JSON.stringify({
    tasks,
    frames,
    size: `${size.columns}x${size.rows}`,
    heap: heapFlags.join(" ") || "V8 defaults",
    medianMs: +at(times, 0.5).toFixed(2),
    p95Ms: +at(times, 0.95).toFixed(2),
    p99Ms: +at(times, 0.99).toFixed(2),
    maxMs: +times.at(-1).toFixed(2),
    cpuMedianMs: +at(cpuTimes, 0.5).toFixed(2),
    cpuP95Ms: +at(cpuTimes, 0.95).toFixed(2),
    cpuP99Ms: +at(cpuTimes, 0.99).toFixed(2),
  }),
);
