#!/usr/bin/env node
// Precision and recall of `consolation check` on the accuracy corpora
// (test/accuracy/): the Node programs on each Node major (the system Node,
// 22 and 24 from tools/), and the tokio scenarios when their suite exists.
// Each suite runs under vitest with ACCURACY_RESULTS set; every judged case
// appends one JSON line there (test/accuracy/verdict.ts), which this sums:
//   precision = found / (found + false alarms), recall = found / (found + missed),
// counted per expected problem (a healthy program expects none).
//
//   npx tsc -b && node bench/accuracy.mjs [--node 20,22,24] [--no-tokio]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeBin, repoRoot } from "../scripts/lib/paths.mjs";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const systemMajor = process.versions.node.split(".")[0];
const majors = (option("--node") ?? `${systemMajor},22,24`).split(",").filter(Boolean);
const withTokio = !args.includes("--no-tokio");
const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");
const dir = mkdtempSync(join(tmpdir(), "insight-accuracy-"));

function runSuite(label, node, paths) {
  const results = join(dir, `${label}.jsonl`);
  const started = Date.now();
  // Failing cases are the point of the measurement, not an error: vitest's
  // own output is kept only to explain a suite that reported nothing.
  const run = spawnSync(node, [vitest, "run", "--reporter=dot", ...paths], {
    cwd: repoRoot,
    env: { ...process.env, ACCURACY_RESULTS: results },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  const lines = existsSync(results)
    ? readFileSync(results, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  if (lines.length === 0) process.stderr.write(`${label}: no results; vitest said:\n${(run.stdout + run.stderr).slice(-4_000)}\n`);
  return { label, lines, seconds, status: run.status };
}

function summarize({ label, lines, seconds }) {
  const found = lines.reduce((n, l) => n + l.matched, 0);
  const missed = lines.reduce((n, l) => n + l.misses.length, 0);
  const alarms = lines.reduce((n, l) => n + l.falseAlarms.length, 0);
  const healthy = lines.filter((l) => l.expected.length === 0);
  const right = lines.filter((l) => l.misses.length === 0 && l.falseAlarms.length === 0).length;
  const pct = (a, b) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(1)}%`);
  const wrong = lines
    .filter((l) => l.misses.length > 0 || l.falseAlarms.length > 0)
    .map((l) => `${l.name} (${[...l.misses.map((m) => `missed ${m}`), ...l.falseAlarms.map((f) => `false ${f}`)].join(", ")})`);
  return {
    row: `| ${label} | ${lines.length} (${healthy.length} healthy) | ${found} | ${missed} | ${alarms} | ${pct(found, found + alarms)} | ${pct(found, found + missed)} | ${right}/${lines.length} | ${seconds.toFixed(0)} s |`,
    wrong,
  };
}

const suites = [];
for (const major of majors) {
  const node = major === systemMajor ? process.execPath : nodeBin(major);
  if (!existsSync(node)) {
    console.error(`node ${major} is not installed at ${node}; run node scripts/ensure-prereqs.mjs --node${major}`);
    continue;
  }
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  suites.push(runSuite(`Node ${version}`, node, ["test/accuracy/node"]));
}
const tokioDir = join(repoRoot, "test", "accuracy", "tokio");
if (withTokio && existsSync(tokioDir) && readdirSync(tokioDir).some((f) => f.endsWith(".test.ts"))) {
  suites.push(runSuite("tokio", process.execPath, ["test/accuracy/tokio"]));
}
rmSync(dir, { recursive: true, force: true });

console.log(`accuracy of consolation check, ${new Date().toISOString().slice(0, 10)}`);
console.log("");
console.log("| runtime | cases | found | missed | false alarms | precision | recall | cases right | time |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|");
const notes = [];
for (const suite of suites) {
  if (suite.lines.length === 0) {
    console.log(`| ${suite.label} | no case reported a result (vitest exit ${suite.status}) | | | | | | | |`);
    continue;
  }
  const { row, wrong } = summarize(suite);
  console.log(row);
  if (wrong.length) notes.push(`${suite.label}: ${wrong.join("; ")}`);
}
if (notes.length) {
  console.log("");
  for (const n of notes) console.log(`- ${n}`);
}
