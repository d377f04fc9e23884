#!/usr/bin/env node
// Peak memory of the file commands on big recordings: generates insight
// recordings of the given sizes in a temp dir (a program spawning and
// finishing tasks, each update a few dozen tasks), runs `consolation replay
// FILE --report`, `replay FILE --plain` and `check FILE` on each in a fresh
// process, prints peak RSS (GNU time's maximum resident set), and deletes the
// files. Run after `npx tsc -b`:
//
//   node bench/replay-memory.mjs [--mb 200,1024]
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizesMb = argValue("--mb", "200,1024").split(",").map(Number);
const commands = argValue("--commands", "replay-report,replay-plain,check").split(",");
const MB = 1024 * 1024;
const CLI = fileURLToPath(new URL("../packages/consolation/bin/consolation.js", import.meta.url));

const START_NS = 1_780_000_000_000_000_000n;
const TASKS_PER_UPDATE = 40;
const iso = (ns) => {
  const ms = Number(ns / 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, "0")}Z`;
};

/** One update: 40 new tasks with fields and a location, their stats, and the previous update's tasks completed. */
function updateLine(round) {
  const atNs = START_NS + BigInt(round) * 100_000_000n;
  const now = iso(atNs);
  const newTasks = [];
  const stats = {};
  for (let k = 0; k < TASKS_PER_UPDATE; k++) {
    const id = round * TASKS_PER_UPDATE + k + 1;
    newTasks.push({
      id: { id: String(id) },
      metadata: { id: "1" },
      fields: [
        { strName: "task.name", strVal: `request-handler-${id % 997}` },
        { strName: "task.id", u64Val: String(id) },
        { strName: "kind", strVal: "task" },
        { strName: "route", strVal: `/api/orders/${id}/items?expand=customer,lines` },
      ],
      location: { file: "src/server/handlers/orders.rs", line: 100 + (id % 50), column: 9 },
    });
    stats[String(id)] = {
      createdAt: now,
      pollStats: { polls: "3", firstPoll: now, lastPollStarted: now, lastPollEnded: now, busyTime: "0.000120s" },
      wakes: "2",
      wakerClones: "2",
      wakerDrops: "2",
    };
  }
  if (round > 0) {
    for (let k = 0; k < TASKS_PER_UPDATE; k++) {
      const id = (round - 1) * TASKS_PER_UPDATE + k + 1;
      stats[String(id)] = {
        createdAt: iso(atNs - 100_000_000n),
        droppedAt: now,
        pollStats: { polls: "5", lastPollEnded: now, busyTime: "0.000300s" },
        wakes: "4",
        wakerClones: "4",
        wakerDrops: "4",
      };
    }
  }
  const update = { now, taskUpdate: { newTasks, statsUpdate: stats } };
  if (round === 0)
    update.newMetadata = { metadata: [{ id: { id: "1" }, metadata: { name: "runtime.spawn", target: "tokio::task", level: "TRACE", kind: "SPAN" } }] };
  return `${JSON.stringify({ t: atNs.toString(), update })}\n`;
}

async function generate(file, bytes) {
  const out = createWriteStream(file);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once("drain", resolve)));
  await write(`${JSON.stringify({ format: "insight-recording", version: 1, createdAt: new Date(0).toISOString(), producer: "bench/replay-memory.mjs" })}\n`);
  let written = 0;
  let round = 0;
  let batch = "";
  while (written < bytes) {
    const line = updateLine(round++);
    batch += line;
    written += line.length;
    if (batch.length > 4 * MB) {
      await write(batch);
      batch = "";
    }
  }
  await write(batch);
  await new Promise((resolve) => out.end(resolve));
  return round;
}

const ARGS = {
  "replay-report": (file) => ["replay", file, "--report"],
  "replay-plain": (file) => ["replay", file, "--plain"],
  check: (file) => ["check", file],
};

const dir = mkdtempSync(join(tmpdir(), "insight-replay-memory-"));
try {
  for (const mb of sizesMb) {
    const file = join(dir, `recording-${mb}mb.jsonl`);
    const updates = await generate(file, mb * MB);
    const size = statSync(file).size;
    for (const command of commands) {
      const args = ARGS[command](file);
      const started = process.hrtime.bigint();
      const run = spawnSync("/usr/bin/time", ["-f", "maxrss_kb=%M exit=%x", process.execPath, CLI, ...args], {
        stdio: ["ignore", "ignore", "pipe"],
        encoding: "utf8",
        maxBuffer: 64 * MB,
      });
      const out = { stderr: run.stderr ?? "", seconds: Number(process.hrtime.bigint() - started) / 1e9 };
      const rssKb = Number(/maxrss_kb=(\d+)/.exec(out.stderr)?.[1] ?? NaN);
      const exit = /exit=(\d+)/.exec(out.stderr)?.[1] ?? "?";
      console.log(
        `${(size / MB).toFixed(0).padStart(5)} MB, ${String(updates).padStart(6)} updates  ${`consolation ${args.join(" ").replace(file, "FILE")}`.padEnd(40)} peak RSS ${(rssKb / 1024).toFixed(0).padStart(5)} MB (${((rssKb * 1024) / size).toFixed(2)}x the file)  ${out.seconds.toFixed(1)} s  exit ${exit}`,
      );
    }
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
