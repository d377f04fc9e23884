// Channel ping-pong: a plain JS queue, our Channel without init, our Channel
// with insight on. Variants alternate round by round, each in a fresh process.
//
//   npx tsc -b && node bench/insight-channel.mjs [messages=200000] [rounds=5]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const [messages = 200_000, rounds = 5] = process.argv.slice(2).map(Number);
const worker = fileURLToPath(new URL("insight-channel-worker.mjs", import.meta.url));
const variants = ["plain-queue", "channel", "insight"];
const runs = Object.fromEntries(variants.map((v) => [v, []]));
for (let round = 0; round < rounds; round++) {
  for (const variant of [...variants.slice(round % 3), ...variants.slice(0, round % 3)]) {
    const out = JSON.parse(execFileSync(process.execPath, [worker, variant, String(messages)], { encoding: "utf8" }));
    runs[variant].push(out.roundTrips);
    console.log(`round ${round + 1} ${variant.padEnd(12)} ${out.roundTrips.toFixed(0).padStart(9)} round trips/s  heap ${out.heapMB.toFixed(1)} MB`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(runs["plain-queue"]);
console.log(`\nmedians of ${rounds} rounds, ${messages} round trips each (node ${process.version})`);
console.log("| variant | round trips/s | vs plain queue | worst round |");
console.log("|---|---|---|---|");
for (const v of variants) {
  const m = median(runs[v]);
  const worst = Math.min(...runs[v]);
  console.log(`| ${v} | ${m.toFixed(0)} | ${(((m - base) / base) * 100).toFixed(1)} % | ${worst.toFixed(0)} |`);
}
