#!/usr/bin/env node
// `npm test`: installs prerequisites, builds, runs every test on the system
// Node, runs the library's tests and the Node accuracy corpus again on Node 22
// and 24, and ends with the line "N passed, N failed" that CI reads.
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, cargoTargetDir, node22Bin, node24Bin, repoRoot, rustBinDir, tokioConsoleBin } from "./lib/paths.mjs";
import { log, run } from "./lib/run.mjs";

const started = Date.now();
const extraArgs = process.argv.slice(2);
run(process.execPath, [join(repoRoot, "scripts", "ensure-prereqs.mjs")]);
run(process.execPath, [join(repoRoot, "scripts", "build.mjs"), "--typecheck"]);

const reportDir = join(repoRoot, "artifacts", "test-reports");
mkdirSync(reportDir, { recursive: true });
const env = {
  ...process.env,
  INSIGHT_RUST_BIN_DIR: rustBinDir,
  INSIGHT_TOKIO_CONSOLE: tokioConsoleBin,
  INSIGHT_CACHE_DIR: cacheDir,
  CARGO_TARGET_DIR: cargoTargetDir,
};
const vitest = join(repoRoot, "node_modules", "vitest", "vitest.mjs");

function vitestRun(label, node, args, version = process.version) {
  const report = join(reportDir, `${label}.json`);
  log(`running tests: ${label} (node ${version})`);
  const { status } = run(node, [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args], {
    cwd: repoRoot,
    env,
    allowFailure: true,
  });
  try {
    const result = JSON.parse(readFileSync(report, "utf8"));
    return { passed: result.numPassedTests, failed: result.numFailedTests + (status !== 0 && result.numFailedTests === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

/**
 * Checks that are not vitest tests, counted one test each in the final line:
 * lint and format (Biome), and the tests' own types (the package builds
 * exclude test files, so tsconfig.tests.json type-checks them).
 */
function staticCheck(label, command, args) {
  log(`running check: ${label}`);
  const { status } = run(command, args, { cwd: repoRoot, env, allowFailure: true });
  return status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

const results = [];
if (extraArgs.length === 0) {
  results.push(
    staticCheck("biome (lint and format)", process.execPath, [
      join(repoRoot, "node_modules", "@biomejs", "biome", "bin", "biome"),
      "ci",
      "--error-on-warnings",
      "--reporter=summary",
      ".",
    ]),
  );
  results.push(staticCheck("tests type-check", process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.tests.json"]));
}
results.push(vitestRun("node-system", process.execPath, extraArgs));
if (extraArgs.length === 0) {
  // The library runs inside the user's process, so it is tested on each Node
  // major it supports (its library adapters too: they hook the module loader);
  // the accuracy corpus runs its programs on that Node, and the second story
  // its service (zero-code `--import`, on a real PostgreSQL).
  results.push(
    vitestRun("node22-library", node22Bin, ["packages/insight", "test/adapters", "test/node-story", "test/orders-story", "test/accuracy/node"], "22"),
  );
  results.push(
    vitestRun(
      "node24-library",
      node24Bin,
      ["packages/insight", "packages/protocol", "packages/client", "test/adapters", "test/node-story", "test/orders-story", "test/accuracy/node"],
      "24",
    ),
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
log(`total time ${((Date.now() - started) / 1000).toFixed(0)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
