#!/usr/bin/env node
// Frame render time of the task list with N live tasks (default 10,000):
// the whole pipeline a redraw runs — rows from the store, filter, sort, and
// the visible rows rendered to ANSI lines — at 120x40. Prints the median and
// p95 over many frames, with a stats update applied between frames so every
// frame recomputes from fresh data. Run `npx tsc -b` first.
import { createEngineSource } from "../packages/consolation/dist/tui/state/from-engine.js";
import { manyTasksUpdate } from "../packages/consolation/dist/tui/testing/story-updates.js";
import { initialUiState } from "../packages/consolation/dist/tui/state/ui-state.js";
import { renderFrame } from "../packages/consolation/dist/tui/view/frame.js";
import { ScreenWriter } from "../packages/consolation/dist/tui/term/screen-writer.js";

const tasks = Number(process.argv[2] ?? 10_000);
const frames = Number(process.argv[3] ?? 200);
const source = createEngineSource();
source.applyUpdate(manyTasksUpdate(tasks));
const statsUpdate = manyTasksUpdate(tasks, true, 21n);
const writer = new ScreenWriter({ write: () => {} });
const ui = initialUiState();
const connection = { target: "http://127.0.0.1:6669", state: { status: "connected", since: 0 }, temporality: "live" };
const size = { columns: 120, rows: 40 };

const times = [];
for (let i = 0; i < frames + 20; i++) {
  // A stats update for every task, as a busy target sends each publish interval.
  source.applyUpdate(statsUpdate);
  const start = process.hrtime.bigint();
  const lines = renderFrame({ data: source.view(), ui, connection, size, nowMs: Date.now() });
  writer.draw(lines, size.columns, size.rows);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (i >= 20) times.push(ms); // the first frames warm up the JIT
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(JSON.stringify({ tasks, frames, size: `${size.columns}x${size.rows}`, medianMs: +at(0.5).toFixed(2), p95Ms: +at(0.95).toFixed(2), maxMs: +times.at(-1).toFixed(2) }));
