// What noting awaits of any promise costs (docs/model.md, "Awaits of any
// promise"): bench/insight-http-server.mjs under autocannon with insight
// unwatched, watched by a console (await tracking on), and watched with
// INSIGHT_AWAITS=off. Given a directory holding another build (its own
// insight-http-server.mjs and node_modules/insight, e.g. the tree before a
// change), the same setups run against it too. Setups alternate round by round
// so machine noise hits all alike; the table gives medians.
//
//   npx tsc -b && node bench/insight-await-cost.mjs [seconds=8] [rounds=5] [connections=50] [otherBuildDir]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const args = process.argv.slice(2);
const [seconds = 8, rounds = 5, connections = 50] = args.slice(0, 3).map(Number);
const other = args[3];
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

async function startServer(script, env) {
  const child = spawn(process.execPath, [script], { env: { ...process.env, WORK_ITEMS: "0", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await once(child.stdout, "data");
  return { child, ...JSON.parse(String(line)) };
}

async function attachConsole(port) {
  const child = spawn(process.execPath, [here("insight-console-watch.mjs"), String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await once(child.stdout, "data");
  return child;
}

const SETUPS = {
  plain: { script: here("insight-http-server.mjs"), env: { INSIGHT_MODE: "plain" }, watch: false },
  insight: { script: here("insight-http-server.mjs"), env: { INSIGHT_MODE: "insight" }, watch: false },
  console: { script: here("insight-http-server.mjs"), env: { INSIGHT_MODE: "insight" }, watch: true },
  "console, awaits off": { script: here("insight-http-server.mjs"), env: { INSIGHT_MODE: "insight", INSIGHT_AWAITS: "off" }, watch: true },
  ...(other
    ? {
        "other: insight": { script: join(other, "insight-http-server.mjs"), env: { INSIGHT_MODE: "insight" }, watch: false },
        "other: console": { script: join(other, "insight-http-server.mjs"), env: { INSIGHT_MODE: "insight" }, watch: true },
      }
    : {}),
};

async function run(name) {
  const setup = SETUPS[name];
  const server = await startServer(setup.script, setup.env);
  const watcher = setup.watch ? await attachConsole(server.console) : undefined;
  const url = `http://127.0.0.1:${server.http}/api/items/42`;
  await autocannon({ url, connections, duration: 2 });
  const result = await autocannon({ url, connections, duration: seconds });
  watcher?.kill("SIGTERM");
  server.child.kill();
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const names = Object.keys(SETUPS);
const results = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) {
  const shift = round % names.length;
  for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
    const r = await run(name);
    results[name].push(r);
    console.log(`round ${round + 1} ${name.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} req/s  p99 ${r.p99} ms`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(results.plain.map((r) => r.rps));
console.log(`\nmedians over ${rounds} rounds of ${seconds}s, ${connections} connections (node ${process.version})`);
console.log("| setup | req/s | vs plain | p99 ms |");
console.log("|---|---|---|---|");
for (const name of names) {
  const rps = median(results[name].map((r) => r.rps));
  console.log(`| ${name} | ${rps.toFixed(0)} | ${(((rps - base) / base) * 100).toFixed(1)} % | ${median(results[name].map((r) => r.p99))} |`);
}
