#!/usr/bin/env node
// Self time per function from a V8 CPU profile (`node --cpu-prof`), as a
// share of the whole profile, the top N first. Used to see where insight's
// per-request cost goes in bench/insight-http-server.mjs:
//
//   INSIGHT_MODE=insight node --cpu-prof --cpu-prof-dir=/tmp/prof bench/insight-http-server.mjs
//   (load it, e.g. npx autocannon -c 50 -d 8 http://127.0.0.1:<port>/a/b, then kill -TERM it)
//   node bench/profile-summary.mjs /tmp/prof [top]
//
// With --by-package, the time not idle is split by who spent it instead:
// insight, OpenTelemetry, express, the app (bench/), Node's own JS, the
// garbage collector, and native functions. That is how bench/otel-compare.mjs
// profiles (its --profile option) are compared: each share is of the same
// process's busy time, so machine load shifts it far less than req/s.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const byPackage = args.includes("--by-package");
const [where, topArg] = args.filter((a) => a !== "--by-package");
const top = Number(topArg ?? 30);
if (!where) {
  console.error("usage: node bench/profile-summary.mjs <profile.cpuprofile | dir of profiles> [top]");
  process.exit(2);
}
const file = statSync(where).isDirectory()
  ? join(
      where,
      readdirSync(where)
        .filter((f) => f.endsWith(".cpuprofile"))
        .sort()
        .at(-1) ?? "",
    )
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
if (byPackage) {
  const busy = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const time = timeByNode.get(node.id) ?? 0;
    if (node.callFrame.functionName === "(idle)") continue;
    const key = packageOf(node.callFrame);
    busy.set(key, (busy.get(key) ?? 0) + time);
    total += time;
  }
  console.log(`busy ${(total / 1e6).toFixed(2)} s`);
  for (const [key, time] of [...busy].sort((a, b) => b[1] - a[1])) console.log(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`);
  process.exit(0);
}
for (const [key, time] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`);
}

function packageOf({ url, functionName }) {
  if (/packages\/insight\/|async-insight\/|\/ibuild\//.test(url)) return "insight";
  if (/packages\/protocol\/|@async-insight\/protocol|@bufbuild\//.test(url)) return "insight (protocol)";
  if (url.includes("@opentelemetry/")) return "OpenTelemetry";
  if (/node_modules\/(express|router|body-parser|finalhandler|send|serve-static)\//.test(url)) return "express";
  if (url.includes("/bench/")) return "app";
  if (url.startsWith("node:")) return "Node (JS)";
  if (functionName === "(garbage collector)") return "garbage collector";
  if (url.includes("node_modules/")) return "other packages";
  return "native / V8";
}
