#!/usr/bin/env node
// Self time per function from a V8 CPU profile (`node --cpu-prof`), as a
// share of the whole profile, the top N first. Used to see where insight's
// per-request cost goes in bench/insight-http-server.mjs:
//
//   INSIGHT_MODE=insight node --cpu-prof --cpu-prof-dir=/tmp/prof bench/insight-http-server.mjs
//   (load it, e.g. npx autocannon -c 50 -d 8 http://127.0.0.1:<port>/a/b, then kill -TERM it)
//   node bench/profile-summary.mjs /tmp/prof [top]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const where = process.argv[2];
const top = Number(process.argv[3] ?? 30);
if (!where) {
  console.error("usage: node bench/profile-summary.mjs <profile.cpuprofile | dir of profiles> [top]");
  process.exit(2);
}
const file = statSync(where).isDirectory()
  ? join(where, readdirSync(where).filter((f) => f.endsWith(".cpuprofile")).sort().at(-1) ?? "")
  : where;
const profile = JSON.parse(readFileSync(file, "utf8"));

const timeByNode = new Map();
profile.samples.forEach((id, i) => timeByNode.set(id, (timeByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const selfByFunction = new Map();
let total = 0;
for (const node of profile.nodes) {
  const time = timeByNode.get(node.id) ?? 0;
  total += time;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + time);
}
console.log(file);
for (const [key, time] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`);
}
