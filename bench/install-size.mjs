#!/usr/bin/env node
// What an app gets on disk when it installs one of our packages: packs the
// package and the workspace packages it depends on with scripts/pack.mjs (run `npm run build`
// first, so dist/ is current), installs the tarballs into a fresh project in
// a temp dir outside the repository (registry packages come from npm), and
// prints `du -sk node_modules` and the packages installed.
//
//   node bench/install-size.mjs [package name, default: async-insight]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../scripts/lib/paths.mjs";
import { packPackages } from "../scripts/pack.mjs";

const wanted = process.argv[2] ?? "async-insight";
const root = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
const workspaces = new Map(root.workspaces.map((path) => [JSON.parse(readFileSync(join(repoRoot, path, "package.json"), "utf8")).name, path]));
if (!workspaces.has(wanted)) {
  console.error(`install-size: no workspace package named ${wanted}`);
  process.exit(2);
}

function npm(args, cwd) {
  const result = spawnSync("npm", args, { cwd, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`npm ${args.join(" ")} failed:\n${result.stderr}`);
    process.exit(1);
  }
  return result.stdout;
}

const scratch = mkdtempSync(join(tmpdir(), "insight-install-size-"));
try {
  const tarballs = join(scratch, "tarballs");
  const app = join(scratch, "app");
  mkdirSync(tarballs);
  mkdirSync(app);
  // The tarballs users get (scripts/pack.mjs: no source maps, no workspace-only export condition).
  packPackages(tarballs, [wanted]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "install-size-app", version: "1.0.0", private: true }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  npm(["install", "--no-audit", "--no-fund", "--no-package-lock", ...files], app);
  const du = spawnSync("du", ["-sk", "node_modules"], { cwd: app, encoding: "utf8" }).stdout.trim();
  const installed = JSON.parse(npm(["ls", "--all", "--json"], app));
  const list = new Set();
  const walk = (deps = {}) => {
    for (const [name, info] of Object.entries(deps)) {
      list.add(`${name}@${info.version}`);
      walk(info.dependencies);
    }
  };
  walk(installed.dependencies);
  console.log(`${wanted}: ${du.split(/\s+/)[0]} KB in node_modules, ${list.size} packages: ${[...list].sort().join(", ")}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
