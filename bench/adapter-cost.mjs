// Cost of the pg adapter on a query-heavy handler (issue 15 item 6): the same
// service (bench/adapter-cost-server.mjs, three pool.query calls per request
// against a real PostgreSQL started here on a free port) in three setups,
// alternating round by round so machine noise hits all of them alike:
//   plain        no insight
//   no-adapters  insight init(), INSIGHT_ADAPTERS=off
//   adapters     insight init() with the pg adapter
// Besides req/s, the server's own CPU time per request (process.cpuUsage()
// around the load window, divided by the requests served) is reported: on a
// shared, loaded machine throughput swings with other work, while CPU per
// request moves much less. Ratios come from the medians.
//
//   npx tsc -b && node bench/adapter-cost.mjs [seconds=8] [rounds=3] [connections=20] [poolMax=10]
//
// With poolMax below connections the pool is contended: many checkouts wait,
// and each wait is recorded (an op with its await site). With poolMax at or
// above connections no checkout waits: only holders are kept.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startPostgres } from "../scripts/lib/servers.mjs";

const [seconds = 8, rounds = 3, connections = 20, poolMax = 10] = process.argv.slice(2).map(Number);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

const started = Date.now();
const postgres = await startPostgres();
console.log(`postgres ${postgres.url} started in ${Date.now() - started} ms`);

async function startServer(mode) {
  const child = spawn(process.execPath, [here("adapter-cost-server.mjs")], {
    env: { ...process.env, INSIGHT_MODE: mode, PG_URL: postgres.url, POOL_MAX: String(poolMax) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await once(child.stdout, "data");
  return { child, ...JSON.parse(String(line)) };
}

function load(port, duration) {
  return autocannon({ url: `http://127.0.0.1:${port}/users/42`, connections, duration });
}

async function cpu(port) {
  const response = await fetch(`http://127.0.0.1:${port}/__cpu`);
  const { user, system } = await response.json();
  return user + system;
}

async function run(setup) {
  const server = await startServer(setup);
  await load(server.http, 2); // warm-up: JIT, the pool's connections
  const before = await cpu(server.http);
  const result = await load(server.http, seconds);
  const used = (await cpu(server.http)) - before;
  server.child.kill("SIGTERM");
  await once(server.child, "exit");
  const served = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpu: served > 0 ? used / served : NaN,
    errors: result.errors + result.non2xx,
  };
}

const setups = ["plain", "no-adapters", "adapters"];
const results = Object.fromEntries(setups.map((s) => [s, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const setup of [...setups.slice(round % 3), ...setups.slice(0, round % 3)]) {
      const r = await run(setup);
      results[setup].push(r);
      console.log(
        `round ${round + 1} ${setup.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} req/s  ${r.cpu.toFixed(0).padStart(5)} µs CPU/req  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`,
      );
    }
  }
} finally {
  await postgres.stop();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = (setup, key) => median(results[setup].map((r) => r[key]));
const pct = (value, base) => `${(((value - base) / base) * 100).toFixed(1)} %`;
console.log(`\nmedians over ${rounds} rounds of ${seconds}s, ${connections} connections, pool max ${poolMax}, 3 queries per request (node ${process.version})`);
console.log("| setup | server CPU per request | vs plain | vs no-adapters | req/s | vs plain | p99 ms |");
console.log("|---|---|---|---|---|---|---|");
for (const setup of setups) {
  const rps = medianOf(setup, "rps");
  const us = medianOf(setup, "cpu");
  const p99 = medianOf(setup, "p99");
  const vsPlain = (key, value) => (setup === "plain" ? "" : pct(value, medianOf("plain", key)));
  console.log(
    `| ${setup} | ${us.toFixed(0)} µs | ${vsPlain("cpu", us)} | ${setup === "adapters" ? pct(us, medianOf("no-adapters", "cpu")) : ""} | ${rps.toFixed(0)} | ${vsPlain("rps", rps)} | ${p99} |`,
  );
}
