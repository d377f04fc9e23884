#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through `prepare`, `npm start` and
// `npm test`): compiles every TypeScript package and builds the web page that
// `consolation web` serves. --typecheck also type-checks the web app, which
// Vite's build does not.
import { join } from "node:path";
import { repoRoot } from "./lib/paths.mjs";
import { log, run } from "./lib/run.mjs";

const node = process.execPath;
const bin = (pkg, file) => join(repoRoot, "node_modules", pkg, ...file.split("/"));
const webDir = join(repoRoot, "packages", "web");

log("building TypeScript (tsc -b)");
run(node, [bin("typescript", "bin/tsc"), "-b"], { cwd: repoRoot });
if (process.argv.includes("--typecheck")) {
  log("type-checking the web app");
  run(node, [bin("typescript", "bin/tsc"), "-p", "tsconfig.json", "--noEmit"], { cwd: webDir });
}
log("building the web page (vite build)");
run(node, [bin("vite", "bin/vite.js"), "build", "--logLevel", "warn"], { cwd: webDir });
