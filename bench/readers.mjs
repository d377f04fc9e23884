#!/usr/bin/env node
// Reader throughput and memory: generates synthetic tokio traces in each
// format into a temp dir, reads each with the compiled readers in a fresh
// child process, and prints MB/s and peak RSS. Run after `npx tsc -b`:
//
//   node bench/readers.mjs [--mb 100] [--big-mb 1024]
//
// Every format is timed on a --mb sized file; the ari reader (the one with
// multi-line records) is also run on a --big-mb file to show memory stays flat.
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MB = 1024 * 1024;

if (process.argv[2] === "--child") {
  const { readTraceFile } = await import("../packages/consolation/dist/trace-formats/read-trace.js");
  const file = process.argv[3];
  let events = 0;
  let problems = 0;
  const started = process.hrtime.bigint();
  const result = await readTraceFile(file, { event: () => events++, problem: () => problems++ });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    JSON.stringify({ format: result.format, bytes: result.bytes, lines: result.lines, events, problems, seconds, maxRssKb: process.resourceUsage().maxRSS }),
  );
  process.exit(0);
}

const ts = (i) => {
  const us = 1_700_000_000_000_000 + i * 7;
  const s = Math.floor(us / 1e6);
  return `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(us % 1e6).padStart(6, "0")}Z`;
};

/** One "round": a task enters, logs, wakes another task, clones a waker, polls a sleep, exits. */
const GENERATORS = {
  ari(i) {
    const t = 2251799813685250 + (i % 64);
    const o = 2251799813685250 + ((i + 1) % 64);
    const task = `runtime.spawn[${t}]{kind=task, task.name=worker-${i % 64}, task.id=${i % 64}, loc.file="src/main.rs", loc.line=42, loc.col=9}`;
    return (
      `${ts(i)} TRACE ${task} enter\n` +
      `${ts(i)} DEBUG ${task} app: round=${i} working on it\n` +
      `${ts(i)} TRACE ${task} tokio::task::waker: op="waker.wake", task.id=${o}\n` +
      `${ts(i)} TRACE\n    ${task}\n      tokio::task::waker: op="waker.clone", task.id=${t}\n` +
      `${ts(i)} TRACE runtime.resource[${i}]{concrete_type="Sleep", kind="timer"} runtime.resource.async_op[${i + 1}]{source="Sleep::new_timeout"} runtime.resource.async_op.poll[${i + 2}]{} runtime::resource::poll_op: op_name="poll_elapsed", is_ready=false\n` +
      `${ts(i)} TRACE ${task} exit\n`
    );
  },
  fmt(i) {
    const task = `runtime.spawn{kind=task task.name=worker-${i % 64} task.id=${i % 64} loc.file="src/main.rs" loc.line=42 loc.col=9}`;
    return (
      `${ts(i)} TRACE ${task}: tokio::task: enter\n` +
      `${ts(i)} DEBUG ${task}: app: working on it round=${i}\n` +
      `${ts(i)} TRACE ${task}: tokio::task::waker: op="waker.wake" task.id=${2251799813685250 + ((i + 1) % 64)}\n` +
      `${ts(i)} TRACE runtime.resource{concrete_type="Sleep" kind="timer"}:runtime.resource.async_op{source="Sleep::new_timeout"}:runtime.resource.async_op.poll: runtime::resource::poll_op: op_name="poll_elapsed" is_ready=false\n` +
      `${ts(i)} TRACE ${task}: tokio::task: exit\n`
    );
  },
  json(i) {
    const span = `{"kind":"task","loc.file":"src/main.rs","loc.line":42,"task.id":${i % 64},"task.name":"worker-${i % 64}","name":"runtime.spawn"}`;
    return (
      `{"timestamp":"${ts(i)}","level":"TRACE","fields":{"message":"enter"},"target":"tokio::task","span":${span},"spans":[]}\n` +
      `{"timestamp":"${ts(i)}","level":"DEBUG","fields":{"message":"working on it","round":${i}},"target":"app","span":${span},"spans":[${span}]}\n` +
      `{"timestamp":"${ts(i)}","level":"TRACE","fields":{"op":"waker.wake","task.id":${2251799813685250 + ((i + 1) % 64)}},"target":"tokio::task::waker","span":${span},"spans":[${span}]}\n` +
      `{"timestamp":"${ts(i)}","level":"TRACE","fields":{"message":"exit"},"target":"tokio::task","span":${span},"spans":[${span}]}\n`
    );
  },
  "console-recording"(i) {
    const at = `{"secs_since_epoch":${1700000000 + Math.floor(i / 1000)},"nanos_since_epoch":${(i % 1000) * 1000}}`;
    const id = 2251799813685250 + (i % 64);
    return (
      (i === 0 ? '{"v":1}\n' : "") +
      (i < 64
        ? `{"Spawn":{"id":${id},"at":${at},"fields":[{"name":"kind","value":"task"},{"name":"task.name","value":"worker-${i}"},{"name":"task.id","value":${i}}]}}\n`
        : "") +
      `{"Enter":{"id":${id},"at":${at}}}\n` +
      `{"Waker":{"id":${2251799813685250 + ((i + 1) % 64)},"op":{"Wake":{"self_wake":false}},"at":${at}}}\n` +
      `{"Waker":{"id":${id},"op":"Clone","at":${at}}}\n` +
      `{"Exit":{"id":${id},"at":${at}}}\n`
    );
  },
};

async function generate(file, format, bytes) {
  const out = createWriteStream(file);
  let written = 0;
  let chunk = "";
  for (let i = 0; written < bytes; i++) {
    chunk += GENERATORS[format](i);
    if (chunk.length > 4 * MB) {
      written += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise((r) => out.once("finish", r));
}

function measure(file) {
  return JSON.parse(execFileSync(process.execPath, [new URL(import.meta.url).pathname, "--child", file], { encoding: "utf8", maxBuffer: MB }));
}

const dir = mkdtempSync(join(tmpdir(), "insight-bench-"));
const rows = [];
try {
  const size = arg("--mb", 100) * MB;
  for (const format of Object.keys(GENERATORS)) {
    const file = join(dir, `${format}.trace`);
    await generate(file, format, size);
    rows.push({ file: `${format} ${(statSync(file).size / MB).toFixed(0)} MB`, ...measure(file) });
    rmSync(file);
  }
  const big = arg("--big-mb", 1024) * MB;
  if (big > 0) {
    const file = join(dir, "big-ari.trace");
    await generate(file, "ari", big);
    rows.push({ file: `ari ${(statSync(file).size / MB).toFixed(0)} MB`, ...measure(file) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log("| input | detected | lines | events | problems | MB/s | peak RSS |");
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.file} | ${r.format} | ${r.lines} | ${r.events} | ${r.problems} | ${(r.bytes / MB / r.seconds).toFixed(1)} | ${(r.maxRssKb / 1024).toFixed(0)} MB |`,
  );
}
