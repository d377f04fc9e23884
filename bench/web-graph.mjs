#!/usr/bin/env node
// Web console with thousands of tasks in the dependency graph: time to first
// render and the cost of a live update, server side (engine fold + snapshot)
// and in Debian's chromium (SSE → parse → table/graph → paint). Run after
// `npx tsc -b && npm run build -w @async-insight/web`:
//
//   node bench/web-graph.mjs [--tasks 5000] [--channels 100] [--updates 20]
//
// The synthetic runtime: `--channels` bounded channels, each with one consumer
// task that can free it and the rest of the tasks blocked sending into one of
// them, so every task is a node of the graph (the page folds look-alikes into
// clusters). Each update changes the stats of 10% of the tasks.
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { chromium } from "playwright-core";
import { WebFeed } from "../packages/consolation/dist/web/web-feed.js";
import { startWebServer } from "../packages/consolation/dist/web/web-server.js";
import { defaultDocsRoot, defaultWebRoot, webRootReady } from "../packages/consolation/dist/web/static-files.js";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const TASKS = arg("--tasks", 5000);
const CHANNELS = arg("--channels", 100);
const UPDATES = arg("--updates", 20);
const RUNS = arg("--runs", 3);

if (!webRootReady(defaultWebRoot())) {
  console.error("bench/web-graph: build the page first: npm run build -w @async-insight/web");
  process.exit(2);
}

const str = (name, value) => ({ name: { case: "strName", value: name }, value: { case: "strVal", value } });
const u64 = (name, value) => ({ name: { case: "strName", value: name }, value: { case: "u64Val", value } });
const T0 = BigInt(Date.now()) * 1_000_000n - 60_000_000_000n;
const at = (ms) => nanosToTimestamp(T0 + BigInt(Math.round(ms * 1e6)));
const consumerOf = (c) => BigInt(c + 1);

function taskStats(_i, ms, polls) {
  return {
    createdAt: at(0),
    lastWake: at(ms - 2),
    wakes: BigInt(polls),
    wakerClones: 1n,
    wakerDrops: 0n,
    pollStats: { polls: BigInt(polls), firstPoll: at(1), lastPollStarted: at(ms - 1), lastPollEnded: at(ms - 0.5), busyTime: { nanos: 500_000 * polls } },
  };
}

function initialUpdate() {
  const newTasks = [];
  const statsUpdate = {};
  const newResources = [];
  const resourceStats = {};
  const newAsyncOps = [];
  const opStats = {};
  for (let c = 0; c < CHANNELS; c++) {
    const rid = BigInt(100_000 + c);
    newResources.push({
      id: { id: rid },
      concreteType: "Channel",
      kind: { kind: { case: "other", value: "Sync" } },
      location: { file: "app/pipeline.mjs", line: 10 + c, column: 3 },
    });
    const senders = [];
    for (let i = CHANNELS + c; i < TASKS; i += CHANNELS) senders.push(`sender:${i + 1}`);
    resourceStats[String(rid)] = {
      createdAt: at(0),
      attributes: [
        { field: str("insight.name", `inbox-${c}-jobs`) },
        { field: u64("capacity", 8n) },
        { field: u64("len", 8n) },
        { field: str("insight.owners", [`receiver:${consumerOf(c)}`, ...senders].join(",")) },
      ],
    };
  }
  for (let i = 0; i < TASKS; i++) {
    const span = BigInt(i + 1);
    const consumer = i < CHANNELS;
    newTasks.push({
      id: { id: span },
      fields: [str("task.name", consumer ? `consumer-${i}` : "producer"), u64("task.id", span), str("kind", "task")],
      location: { file: "app/pipeline.mjs", line: consumer ? 40 : 60, column: 5 },
    });
    statsUpdate[String(span)] = taskStats(i, 50_000, 3);
    if (!consumer) {
      const op = BigInt(200_000 + i);
      newAsyncOps.push({ id: { id: op }, source: "Channel::send", resourceId: { id: BigInt(100_000 + (i % CHANNELS)) } });
      opStats[String(op)] = {
        createdAt: at(40_000),
        taskId: { id: span },
        attributes: [{ field: str("insight.reason", "send: waiting on channel capacity") }, { field: str("insight.await_line", "await stage.send(job)") }],
      };
    }
  }
  return create(UpdateSchema, {
    now: at(59_000),
    taskUpdate: { newTasks, statsUpdate },
    resourceUpdate: { newResources, statsUpdate: resourceStats },
    asyncOpUpdate: { newAsyncOps, statsUpdate: opStats },
  });
}

/** Stats for a tenth of the tasks, as a busy runtime sends every second. */
function changeUpdate(n) {
  const statsUpdate = {};
  const nowMs = 59_000 + n * 1000;
  for (let i = n % 10; i < TASKS; i += 10) statsUpdate[String(i + 1)] = taskStats(i, nowMs, 3 + n);
  return create(UpdateSchema, { now: at(nowMs), taskUpdate: { statsUpdate } });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const fmt = (ms) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

// ---- server side -------------------------------------------------------
const feed = new WebFeed({ target: "synthetic", controllable: false, minIntervalMs: 0 });
let t = performance.now();
feed.applyUpdate(initialUpdate());
feed.applyUpdate(create(UpdateSchema, { now: at(59_500) }));
const applyMs = performance.now() - t;
t = performance.now();
const first = feed.snapshot();
const firstSnapshotMs = performance.now() - t;
const bytes = Buffer.byteLength(JSON.stringify(first));
const serverUpdate = [];
for (let n = 1; n <= 5; n++) {
  t = performance.now();
  feed.applyUpdate(changeUpdate(n));
  JSON.stringify(feed.snapshot());
  serverUpdate.push(performance.now() - t);
}
// The same with the engine's lints run every time (the feed runs them at most once a second).
const linting = new WebFeed({ target: "synthetic", controllable: false, minIntervalMs: 0, lintIntervalMs: 0 });
linting.applyUpdate(initialUpdate());
const lintedUpdate = [];
for (let n = 1; n <= 5; n++) {
  t = performance.now();
  linting.applyUpdate(changeUpdate(n));
  JSON.stringify(linting.snapshot());
  lintedUpdate.push(performance.now() - t);
}
linting.close();

// ---- browser -----------------------------------------------------------
const server = await startWebServer({ feed, webRoot: defaultWebRoot(), docsRoot: defaultDocsRoot(), host: "127.0.0.1", port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const firstGraph = [];
const firstTable = [];
let graphNodes = "?";
for (let run = 0; run < RUNS; run++) {
  for (const [view, into] of [
    ["graph", firstGraph],
    ["tasks", firstTable],
  ]) {
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const started = performance.now();
    await page.goto(`${server.url}#${view}`);
    if (view === "graph") {
      await page.waitForSelector("#graph-canvas[data-layout-key]");
      graphNodes = await page.getAttribute("#graph-canvas", "data-node-count");
    } else await page.waitForSelector("table.tasks tbody tr");
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
    into.push(performance.now() - started);
    await page.close();
  }
}

async function updateCosts(view) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(`${server.url}#${view}`);
  await page.waitForSelector(view === "graph" ? "#graph-canvas[data-layout-key]" : "table.tasks tbody tr");
  const costs = [];
  for (let n = 0; n < UPDATES; n++) {
    const started = performance.now();
    feed.applyUpdate(changeUpdate(100 + n));
    const seq = feed.snapshot().seq;
    await page.waitForFunction((s) => Number(document.querySelector(".app")?.getAttribute("data-seq")) >= s, seq, { polling: "raf" });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
    costs.push(performance.now() - started);
  }
  await page.close();
  return costs;
}
const graphUpdates = await updateCosts("graph");
const tableUpdates = await updateCosts("tasks");
await browser.close();
await server.close();

const rows = [
  ["server: fold the first update into the engine", fmt(applyMs)],
  ["server: first snapshot (rows, graph, timeline)", fmt(firstSnapshotMs)],
  ["server: snapshot JSON size", `${(bytes / 1024 / 1024).toFixed(2)} MB`],
  ["server: one update (fold + snapshot + JSON), median of 5", fmt(median(serverUpdate))],
  ["server: the same with a lint run (lints run at most once a second)", fmt(median(lintedUpdate))],
  [`browser: first render of the graph (${graphNodes} nodes drawn), median of ${RUNS}`, fmt(median(firstGraph))],
  [`browser: first render of the task table, median of ${RUNS}`, fmt(median(firstTable))],
  [`update → graph repainted, median / p95 of ${UPDATES}`, `${fmt(median(graphUpdates))} / ${fmt(p95(graphUpdates))}`],
  [`update → table repainted, median / p95 of ${UPDATES}`, `${fmt(median(tableUpdates))} / ${fmt(p95(tableUpdates))}`],
];
console.log(`web console, ${TASKS} tasks (${TASKS - CHANNELS} blocked senders, ${CHANNELS} channels, ${CHANNELS} consumers); node ${process.version}\n`);
console.log("| measure | time |\n|---|---:|");
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
process.exit(0);
