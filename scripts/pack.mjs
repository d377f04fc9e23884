#!/usr/bin/env node
// `node scripts/pack.mjs [outDir] [--no-build]`: the npm tarballs a user
// installs (async-insight, async-consolation and the @async-insight/*
// packages they depend on), one line per tarball path on stdout.
//
// Each package is packed from a staging copy in a temp dir, never from its
// folder, because the workspace manifests serve two masters:
// - the "insight-source" export condition points at src/*.ts so tests and
//   tools in the workspace run the sources. Outside the workspace it is
//   useless (Node refuses to strip types under node_modules) and names files
//   we do not ship, so the staged manifest drops it. Staging instead of a
//   prepack/postpack rewrite of package.json means the working tree is never
//   modified, even when a pack is interrupted or others edit the manifests.
// - dist/ holds whatever tsc ever wrote there: outputs of deleted sources,
//   test helpers (testing/, testdata/) and source maps that point at src/,
//   which is not shipped. Only outputs of a current, non-test source go in.
// Internal dependencies must name the exact version of the workspace package,
// so installing all tarballs together never asks the registry for ours.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./lib/paths.mjs";

const WORKSPACE_CONDITION = "insight-source";
/** Folders whose outputs exist for tests only. */
const TEST_DIRS = new Set(["testing", "testdata"]);

/** What a user installs: the library, the console and their internal parts (examples are workspaces too, but not ours to ship). */
export const isShippedPackage = (name) => name === "async-insight" || name === "async-consolation" || name.startsWith("@async-insight/");

/** Every workspace package: name → { dir, manifest }. */
export function workspacePackages() {
  const root = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  return new Map(
    root.workspaces.map((path) => {
      const dir = join(repoRoot, path);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return [manifest.name, { dir, manifest }];
    }),
  );
}

/** The packages and, transitively, every workspace package among their run-time dependencies. */
export function dependencyClosure(names, packages = workspacePackages()) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    if (!packages.has(name)) throw new Error(`no workspace package named ${name}`);
    seen.add(name);
    for (const dep of Object.keys(packages.get(name).manifest.dependencies ?? {})) if (packages.has(dep)) visit(dep);
  };
  for (const name of names) visit(name);
  return [...seen];
}

/** Export maps without the workspace condition; an entry left with nothing is an error. */
function stripWorkspaceCondition(exports, name) {
  if (exports === undefined || typeof exports === "string") return exports;
  const strip = (entry, key) => {
    if (typeof entry === "string" || entry === null) return entry;
    const kept = Object.fromEntries(
      Object.entries(entry)
        .filter(([condition]) => condition !== WORKSPACE_CONDITION)
        .map(([condition, target]) => [condition, strip(target, `${key} ${condition}`)]),
    );
    if (Object.keys(kept).length === 0) throw new Error(`${name}: export ${key} has only the ${WORKSPACE_CONDITION} condition`);
    return kept;
  };
  // A test-helper subpath (`./testing`) serves the workspace's tests and benches only: it is not shipped.
  const shipped = Object.entries(exports).filter(([key]) => !key.split("/").some((part) => TEST_DIRS.has(part)));
  return Object.fromEntries(shipped.map(([key, entry]) => [key, strip(entry, key)]));
}

/** Every file target of an export map (after stripping) and of the bin field. */
export function manifestTargets(manifest) {
  const targets = [];
  const walk = (entry) => {
    if (typeof entry === "string") targets.push(entry);
    else if (entry !== null && typeof entry === "object") for (const value of Object.values(entry)) walk(value);
  };
  walk(manifest.exports);
  if (typeof manifest.bin === "string") targets.push(manifest.bin);
  else walk(manifest.bin);
  for (const field of ["main", "types"]) if (typeof manifest[field] === "string") targets.push(manifest[field]);
  return [...new Set(targets.map((target) => target.replace(/^\.\//, "")))].filter((target) => !target.includes("*"));
}

/**
 * Whether a file under a tsc-built dist/ belongs in the tarball: no source
 * maps (their sources, src/, are not shipped), nothing from a test folder,
 * and only the outputs of a source file that still exists.
 */
function keepDistFile(packageDir, relativeToDist) {
  if (relativeToDist.endsWith(".map") || relativeToDist.endsWith(".tsbuildinfo")) return false;
  const parts = relativeToDist.split(sep);
  if (parts.some((part) => TEST_DIRS.has(part))) return false;
  const stem = relativeToDist.replace(/(\.d)?\.(js|ts|mjs|cjs|mts|cts)$/, "");
  if (/\.test$/.test(stem)) return false;
  if (stem === relativeToDist) return true;
  return [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"].some((ext) => existsSync(join(packageDir, "src", stem + ext)));
}

function copyTree(from, to, keep) {
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const rel = relative(from, source);
    if (!keep(rel)) continue;
    mkdirSync(dirname(join(to, rel)), { recursive: true });
    copyFileSync(source, join(to, rel));
  }
}

/** A README for a package that has none: what it is and which package to install instead. */
function generatedReadme(manifest) {
  const internal = manifest.name.startsWith("@async-insight/");
  return [
    `# ${manifest.name}`,
    "",
    manifest.description ?? "",
    "",
    internal
      ? "An internal part of insight, installed as a dependency. Install `async-insight` (the Node.js library) or `async-consolation` (the console) instead; see docs/install.md in the repository."
      : "See docs/install.md in the repository.",
    "",
  ].join("\n");
}

/** Copies what `files` names (filtered), the manifest without workspace-only parts, README and LICENSE. */
function stage(name, packages, stagingRoot) {
  const { dir, manifest } = packages.get(name);
  for (const section of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [dep, range] of Object.entries(manifest[section] ?? {})) {
      const internal = packages.get(dep);
      if (internal && range !== internal.manifest.version) {
        throw new Error(`${name}: ${section} ${dep} is "${range}"; it must be exactly ${internal.manifest.version}, the version packed with it`);
      }
    }
  }
  const staged = { ...manifest, exports: stripWorkspaceCondition(manifest.exports, name) };
  if (staged.exports === undefined) delete staged.exports;
  const target = join(stagingRoot, name.replace("/", "+"));
  mkdirSync(target, { recursive: true });
  const builtByTsc = existsSync(join(dir, "tsconfig.json")) && existsSync(join(dir, "src")) && name !== "@async-insight/web";
  for (const entry of manifest.files ?? []) {
    if (entry.startsWith("!")) continue;
    const from = join(dir, entry);
    if (!existsSync(from)) throw new Error(`${name}: "${entry}" (in files) does not exist; run node scripts/build.mjs first`);
    if (statSync(from).isFile()) {
      mkdirSync(dirname(join(target, entry)), { recursive: true });
      copyFileSync(from, join(target, entry));
    } else {
      const keep = entry === "dist" && builtByTsc ? (rel) => keepDistFile(dir, rel) : (rel) => !rel.endsWith(".map");
      copyTree(from, join(target, entry), keep);
    }
  }
  for (const path of manifestTargets(staged)) {
    if (path !== "package.json" && !existsSync(join(target, path)))
      throw new Error(`${name}: ${path}, named by exports/bin, is not built; run node scripts/build.mjs first`);
  }
  const readme = join(dir, "README.md");
  if (existsSync(readme)) copyFileSync(readme, join(target, "README.md"));
  else writeFileSync(join(target, "README.md"), generatedReadme(manifest));
  for (const license of [join(dir, "LICENSE"), join(repoRoot, "LICENSE")]) {
    if (existsSync(license)) {
      copyFileSync(license, join(target, "LICENSE"));
      break;
    }
  }
  writeFileSync(join(target, "package.json"), `${JSON.stringify(staged, null, 2)}\n`);
  return target;
}

/**
 * Packs the named packages and the workspace packages they depend on
 * (default: every shipped package) into outDir and
 * returns the tarball paths, in the order packed. dist/ must be built.
 */
export function packPackages(outDir, names) {
  const packages = workspacePackages();
  const wanted = names === undefined ? [...packages.keys()].filter(isShippedPackage) : dependencyClosure(names, packages);
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const stagingRoot = mkdtempSync(join(tmpdir(), "insight-pack-"));
  try {
    return wanted.map((name) => {
      const staged = stage(name, packages, stagingRoot);
      // --ignore-scripts: the staged copy is final; no lifecycle script may rebuild or rewrite it.
      const result = spawnSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], { cwd: staged, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`npm pack of ${name} failed:\n${result.stderr}`);
      const [info] = JSON.parse(result.stdout);
      return join(out, info.filename);
    });
  } finally {
    rmSync(stagingRoot, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outDir = args.find((arg) => !arg.startsWith("--")) ?? join(repoRoot, "artifacts", "packages");
  if (!args.includes("--no-build")) {
    const build = spawnSync(process.execPath, [join(repoRoot, "scripts", "build.mjs")], { stdio: ["ignore", 2, 2] });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  try {
    for (const tarball of packPackages(outDir)) console.log(tarball);
  } catch (error) {
    console.error(`pack: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
