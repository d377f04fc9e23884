// Host cost of insight beside OpenTelemetry's, side by side on the same
// service (bench/otel-compare-server.mjs), per Node version and handler:
//
//   npx tsc -b && node bench/otel-compare.mjs [seconds=3] [rounds=7] [--node 20,22,24] [--handler nothing,work,express]
//        [--setups plain,otel,insight,console] [--env NAME=value,...] [--warmup 1] [--pin no] [--profile dir]
//
// Setups: plain (nothing loaded), otel (tracer provider + http instrumentation
// (+ express's), a span around the unit of work, BatchSpanProcessor to a no-op
// exporter), insight (`init()`, the unit of work in `spawn`, no console), and
// console (insight with a console attached: a third process watching updates,
// as tokio-console does). Each server runs on the Node version of its row;
// autocannon (50 connections) runs here. Setups alternate within each round in
// a rotating order, every run in a fresh process after a 1 s warm-up, so load
// from other processes on the machine falls on all of them alike. Reported:
// medians over the rounds, each round's figure (the spread), throughput loss
// and p99 increase against plain (p99 from each response's own latency,
// not autocannon's whole-millisecond histogram). Also the server's CPU time
// per request (user + system, from /proc) and the loss it implies for a
// server with a core to itself (1 − plain's CPU per request / the setup's):
// on a shared machine req/s moves with whatever else runs, CPU per request
// far less.
import { execFileSync, spawn } from "node:child_process";
import { cpus } from "node:os";
import { existsSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { node22Bin, node24Bin } from "../scripts/lib/paths.mjs";

const positional = [];
const flags = {};
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg.startsWith("--")) flags[arg.slice(2)] = process.argv[++i] ?? "";
  else positional.push(Number(arg));
}
const [seconds = 3, rounds = 7] = positional;
const connections = Number(flags.connections ?? 50);
const warmup = Number(flags.warmup ?? 1);
const majors = (flags.node ?? "20,22,24").split(",");
const handlers = (flags.handler ?? "nothing,work,express").split(",");
const setups = (flags.setups ?? "plain,otel,insight,console").split(",");
const extraEnv = flags.env ? Object.fromEntries(flags.env.split(",").map((kv) => kv.split("="))) : {};
// The server gets CPU 0 to itself (among this benchmark's processes); autocannon (this
// process) and the console share CPU 1, so a console's own decoding is not counted as host cost.
const pin = flags.pin !== "no" && cpus().length >= 2 && existsSync("/usr/bin/taskset");
if (pin) execFileSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
const pinned = (cpu, command, args) => (pin ? ["taskset", ["-c", String(cpu), command, ...args]] : [command, args]);
const binaries = { 20: process.execPath, 22: node22Bin, 24: node24Bin };
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/**
 * A setup name, optionally with a variant for measuring one lever against another in the
 * same run: `insight[INSIGHT_POLLS=off]`, `otel[--experimental-async-context-frame]`
 * (environment settings and Node flags, separated by `;`).
 */
function parseSetup(spec) {
  const match = /^([a-z]+)(?:\[(.*)\])?$/.exec(spec);
  if (!match) throw new Error(`bad setup ${spec}`);
  const parts = (match[2] ?? "").split(";").filter(Boolean);
  return {
    kind: match[1],
    env: Object.fromEntries(parts.filter((p) => !p.startsWith("--")).map((p) => p.split("="))),
    flags: parts.filter((p) => p.startsWith("--")),
  };
}

async function startServer(binary, spec, handler, major) {
  const setup = parseSetup(spec);
  const env = { ...process.env, ...extraEnv, ...setup.env, SETUP: setup.kind === "console" ? "insight" : setup.kind, HANDLER: handler };
  // --profile <dir>: each server writes a CPU profile to <dir>/<node>-<handler>-<setup>/ (read with bench/profile-summary.mjs).
  const profile = flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${join(flags.profile, `${major}-${handler}-${spec.replace(/[^a-z0-9=-]+/gi, "_")}`)}`] : [];
  const child = spawn(...pinned(0, binary, [...profile, ...setup.flags, here("otel-compare-server.mjs")]), { env, stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await once(child.stdout, "data");
  return { child, ...JSON.parse(String(line)) };
}

async function attachConsole(port) {
  const child = spawn(...pinned(1, process.execPath, [here("insight-console-watch.mjs"), String(port)]), { stdio: ["ignore", "pipe", "inherit"] });
  await once(child.stdout, "data");
  return child;
}

/** CPU seconds (user + system) the process has used so far, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(port, duration, pid) {
  const latencies = [];
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const instance = autocannon({ url: `http://127.0.0.1:${port}/api/items/42`, connections, duration });
  instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : NaN;
  latencies.sort((a, b) => a - b);
  const p99 = latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] : NaN;
  return { rps: result.requests.average, p99, errors: result.errors + result.non2xx, cpuUs: (cpu * 1e6) / Math.max(1, latencies.length) };
}

/** The processes of the run under way, ended if this benchmark is interrupted. */
let current = [];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of current) child?.kill("SIGKILL");
    process.exit(130);
  });
}

async function run(binary, setup, handler, major) {
  const server = await startServer(binary, setup, handler, major);
  const watcher = parseSetup(setup).kind === "console" ? await attachConsole(server.console) : undefined;
  current = [server.child, watcher];
  await load(server.http, warmup);
  const result = await load(server.http, seconds, server.child.pid);
  watcher?.kill("SIGTERM");
  server.child.kill("SIGTERM");
  await once(server.child, "exit");
  return result;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x, base) => `${x >= base ? "+" : "−"}${Math.abs(((x - base) / base) * 100).toFixed(1)} %`;

const tables = [];
for (const major of majors) {
  const binary = binaries[major];
  if (!binary || !existsSync(binary)) {
    console.log(`node ${major}: no binary (${binary}); run node scripts/ensure-prereqs.mjs`);
    continue;
  }
  const version = String(execFileSync(binary, ["--version"])).trim();
  for (const handler of handlers) {
    const results = Object.fromEntries(setups.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      const order = [...setups.slice(round % setups.length), ...setups.slice(0, round % setups.length)];
      for (const setup of order) {
        const r = await run(binary, setup, handler, major);
        results[setup].push(r);
        console.log(
          `node ${version} ${handler.padEnd(7)} round ${round + 1} ${setup.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99.toFixed(2)} ms  cpu ${r.cpuUs.toFixed(1)} µs/req  errors ${r.errors}`,
        );
      }
    }
    tables.push({ version, handler, results });
  }
}

console.log(
  `\n${rounds} rounds of ${seconds} s, ${connections} connections${pin ? ", server pinned to CPU 0, load and console to CPU 1" : ""}; medians, each round in brackets${Object.keys(extraEnv).length ? `; env ${JSON.stringify(extraEnv)}` : ""}`,
);
console.log("| Node | handler | setup | req/s | throughput vs plain | p99 ms | p99 vs plain | server CPU µs/req | loss from CPU | req/s by round |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const { version, handler, results } of tables) {
  const base = results.plain?.length
    ? { rps: median(results.plain.map((r) => r.rps)), p99: median(results.plain.map((r) => r.p99)), cpu: median(results.plain.map((r) => r.cpuUs)) }
    : undefined;
  for (const setup of setups) {
    const rps = median(results[setup].map((r) => r.rps));
    const p99 = median(results[setup].map((r) => r.p99));
    const vs = base && setup !== "plain" ? [pct(rps, base.rps), pct(p99, base.p99)] : ["", ""];
    const cpu = median(results[setup].map((r) => r.cpuUs));
    // The throughput a server given a core to itself would lose: plain's CPU per request over this setup's.
    const cpuLoss = base && setup !== "plain" ? `${((1 - base.cpu / cpu) * 100).toFixed(1)} %` : "";
    const spread = results[setup].map((r) => `${(r.rps / 1000).toFixed(1)}k`).join(", ");
    console.log(
      `| ${version} | ${handler} | ${setup} | ${rps.toFixed(0)} | ${vs[0]} | ${p99.toFixed(2)} | ${vs[1]} | ${cpu.toFixed(1)} | ${cpuLoss} | ${spread} |`,
    );
  }
}
