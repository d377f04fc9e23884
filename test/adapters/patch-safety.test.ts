/**
 * Patch safety against the real generic-pool (patch-safety-app.mjs): register plus two init() calls
 * wrap a method once; a throw inside the adapter never reaches the app, turns the adapter off, and is
 * said once through NODE_DEBUG=insight; a version outside the supported range is left alone, said
 * the same way. Run `npx tsc -b` first.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const APP = fileURLToPath(new URL("./patch-safety-app.mjs", import.meta.url));
/** The built register module, by path: the app below lives outside the workspace. */
const REGISTER = fileURLToPath(new URL("../../packages/insight/dist/register.js", import.meta.url));

it("wraps once, survives a failing adapter, and says so once", async () => {
  const child = spawn(process.execPath, ["--import", "async-insight/register", APP], {
    env: { ...process.env, INSIGHT_BIND: "127.0.0.1:0", NODE_DEBUG: "insight" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const report = JSON.parse(String(line)) as { layers: boolean[]; results: string[] };
    // Wrapped, and only once (the original under the wrapper is not itself a wrapper).
    expect(report.layers).toEqual([true, false]);
    // Every acquire worked as without insight.
    expect(report.results).toEqual(["object", "object", "object"]);
    const failures = stderr.split("\n").filter((l) => l.includes("adapter generic-pool failed and is disabled"));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("sabotaged pending");
    // Nothing but debug lines on stderr (the app is never printed into otherwise).
    expect(stderr.split("\n").filter((l) => l.trim() !== "" && !/^INSIGHT \d+:|^\s+at |^Error: sabotaged/.test(l))).toEqual([]);
  } finally {
    child.kill();
  }
}, 60_000);

it("leaves a version outside the supported range unpatched, and says so", async () => {
  // The real generic-pool, copied into an app folder with its version set to the next major.
  const dir = mkdtempSync(join(tmpdir(), "insight-adapter-range-"));
  try {
    const root = join(dir, "node_modules", "generic-pool");
    cpSync(dirname(createRequire(import.meta.url).resolve("generic-pool/package.json")), root, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    writeFileSync(join(root, "package.json"), JSON.stringify({ ...manifest, version: "4.0.0" }));
    writeFileSync(
      join(dir, "app.cjs"),
      'const gp = require("generic-pool");\nconst WRAPPED = Symbol.for("async-insight.adapters.wrapped");\nprocess.stdout.write(JSON.stringify({ wrapped: gp.Pool.prototype.acquire[WRAPPED] !== undefined }) + "\\n");\n',
    );
    const child = spawn(process.execPath, ["--import", REGISTER, join(dir, "app.cjs")], {
      cwd: dir,
      env: { ...process.env, INSIGHT_BIND: "127.0.0.1:0", NODE_DEBUG: "insight" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    child.kill();
    expect(JSON.parse(String(line))).toEqual({ wrapped: false });
    expect(stderr).toContain(`adapter generic-pool: version 4.0.0 at ${realpathSync(root)} is outside the supported range 3.0.0 to below 4.0.0; not patched`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it("leaves the app's unhandled rejections unhandled, as without insight", async () => {
  const app = fileURLToPath(new URL("./unhandled-app.mjs", import.meta.url));
  const run = async (args: string[]) => {
    const child = spawn(process.execPath, [...args, app], { env: { ...process.env, INSIGHT_BIND: "127.0.0.1:0" }, stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    return JSON.parse(String(line)) as string[];
  };
  const without = await run([]);
  expect(without).toEqual([
    "Error: limited call failed",
    "Error: queued job failed",
    "Error: timeout while waiting for mutex to become available",
    "TimeoutError: operation timed out for an unknown reason",
  ]);
  // (generic-pool handles its own timed-out requests, so a dropped acquire is not among them either way.)
  expect(await run(["--import", "async-insight/register"])).toEqual(without);
}, 60_000);
