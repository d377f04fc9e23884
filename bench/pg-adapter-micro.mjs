// CPU per pg query with and without the pg adapter, without HTTP in the way:
// one process per run, insight init() in both, INSIGHT_ADAPTERS=off for
// "off". 20 tasks each run 300 pool.query("SELECT 1") against a real
// PostgreSQL started here; runs alternate off/on. With pool max 5 most
// checkouts wait (each wait is an op with its await site); with max 20 none
// does (holders only).
//
//   npx tsc -b && node bench/pg-adapter-micro.mjs [rounds=3] [poolMax=5]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startPostgres } from "../scripts/lib/servers.mjs";

if (process.env.PG_ADAPTER_MICRO_CHILD) {
  const pg = (await import("pg")).default;
  const insight = await import("async-insight");
  if (process.env.MODE === "off") process.env.INSIGHT_ADAPTERS = "off";
  insight.init({ listenPort: 0 });
  const pool = new pg.Pool({ connectionString: process.env.PG_URL, max: Number(process.env.POOL_MAX) });
  const worker = async () => {
    for (let i = 0; i < 300; i++) await pool.query("SELECT 1");
  };
  await Promise.all(Array.from({ length: 20 }, worker)); // warm-up
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: 20 }, () => insight.spawn("worker", worker)));
  const used = process.cpuUsage(before);
  process.stdout.write(`${((used.user + used.system) / 6000).toFixed(1)}\n`);
  await pool.end();
  process.exit(0);
}

const [rounds = 3, poolMax = 5] = process.argv.slice(2).map(Number);
const postgres = await startPostgres();
const results = { off: [], on: [] };
try {
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? ["off", "on"] : ["on", "off"]) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...process.env, PG_ADAPTER_MICRO_CHILD: "1", MODE: mode, PG_URL: postgres.url, POOL_MAX: String(poolMax) },
        encoding: "utf8",
      });
      const us = Number(child.stdout.trim());
      results[mode].push(us);
      console.log(`round ${round + 1} adapter ${mode.padEnd(3)} ${us} µs CPU per query`);
    }
  }
} finally {
  await postgres.stop();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const off = median(results.off);
const on = median(results.on);
console.log(
  `\npool max ${poolMax}, 20 tasks × 300 queries, node ${process.version}: off ${off} µs, on ${on} µs per query (${(((on - off) / off) * 100).toFixed(0)} %, +${(on - off).toFixed(1)} µs)`,
);
