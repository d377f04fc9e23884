// HTTP overhead of insight: the same service (bench/insight-http-server.mjs)
// loaded by autocannon from this process in three setups, plain / insight /
// insight with a console attached (a third process watching updates). Setups
// alternate round by round so that machine noise hits all of them alike; the
// ratios come from the medians.
//
//   npx tsc -b && node bench/insight-http.mjs [seconds=10] [rounds=3] [connections=50] [workItems=0]
//
// workItems > 0 gives the handler real work (serialising a list of that many
// records); 0 is a handler that does almost nothing, the worst case.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const [seconds = 10, rounds = 3, connections = 50, workItems = 0] = process.argv.slice(2).map(Number);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

async function startServer(mode) {
  const child = spawn(process.execPath, [here("insight-http-server.mjs")], {
    env: { ...process.env, INSIGHT_MODE: mode, WORK_ITEMS: String(workItems) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await once(child.stdout, "data");
  return { child, ...JSON.parse(String(line)) };
}

async function attachConsole(port) {
  const child = spawn(process.execPath, [here("insight-console-watch.mjs"), String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await once(child.stdout, "data");
  return child;
}

function load(port, duration) {
  return autocannon({ url: `http://127.0.0.1:${port}/api/items/42`, connections, duration });
}

async function run(setup) {
  const server = await startServer(setup === "plain" ? "plain" : "insight");
  const watcher = setup === "console" ? await attachConsole(server.console) : undefined;
  await load(server.http, 2); // warm-up
  const result = await load(server.http, seconds);
  watcher?.kill("SIGTERM");
  server.child.kill();
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const setups = ["plain", "insight", "console"];
const results = Object.fromEntries(setups.map((s) => [s, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round so no setup always runs first or last.
  for (const setup of [...setups.slice(round % 3), ...setups.slice(0, round % 3)]) {
    const r = await run(setup);
    results[setup].push(r);
    console.log(`round ${round + 1} ${setup.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = { rps: median(results.plain.map((r) => r.rps)), p99: median(results.plain.map((r) => r.p99)) };
console.log(`\nmedians over ${rounds} rounds of ${seconds}s, ${connections} connections, ${workItems} work items (node ${process.version})`);
console.log("| setup | req/s | vs plain | p99 ms | vs plain |");
console.log("|---|---|---|---|---|");
for (const setup of setups) {
  const rps = median(results[setup].map((r) => r.rps));
  const p99 = median(results[setup].map((r) => r.p99));
  console.log(
    `| ${setup} | ${rps.toFixed(0)} | ${(((rps - base.rps) / base.rps) * 100).toFixed(1)} % | ${p99} | ${(((p99 - base.p99) / base.p99) * 100).toFixed(1)} % |`,
  );
}
