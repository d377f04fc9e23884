/**
 * The loader matches packages by their exact name (adapters/loading.ts): a require whose path merely
 * contains an adapter's package name (a folder "tarnowski-…", a module "upgrade.cjs", a package
 * "pg-upgrade") is not that package, and does not stop the package it really names from being
 * patched. package-names-app.cjs, with insight started by init() and by --import. Run `npx tsc -b` first.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./package-names-app.cjs", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A module shaped like a pool, which records its own methods so the app can tell whether they were replaced. */
const POOL_LIKE = `class Pool { connect() { return "own"; } query() { return "own"; } }
module.exports = { Pool, connect: Pool.prototype.connect, query: Pool.prototype.query };
`;

let dir: string;
let app: RunningApp | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tarnowski-"));
  for (const name of ["async-mutex", "tslib"]) cpSync(join(ROOT, "node_modules", name), join(dir, "node_modules", name), { recursive: true });
  mkdirSync(join(dir, "node_modules", "pg-upgrade"));
  writeFileSync(join(dir, "node_modules", "pg-upgrade", "package.json"), JSON.stringify({ name: "pg-upgrade", version: "8.1.0", main: "index.js" }));
  writeFileSync(join(dir, "node_modules", "pg-upgrade", "index.js"), POOL_LIKE);
  writeFileSync(join(dir, "upgrade.cjs"), POOL_LIKE);
  process.env.FIXTURE_DIR = dir;
});
afterEach(() => app?.stop());
afterAll(() => {
  delete process.env.FIXTURE_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe.each(START_MODES)("package names, insight started by %s", (mode) => {
  it("patches async-mutex required from a folder named like tarn, and leaves pg-like names alone", async () => {
    app = await startApp(APP, mode);
    expect(app.info.untouched).toEqual([true, true]);
    const { holder, waiter } = app.info.tasks as Record<string, number>;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const op = s.asyncOps.find((o) => o.pending && o.source === "Mutex::acquire");
        return op !== undefined && attr(op, "insight.await_line") !== undefined && s;
      },
      { timeoutMs: 20_000, description: "the waiter's Mutex::acquire" },
    );
    const mutex = state.resources.find((r) => r.concreteType === "Mutex")!;
    expect(attr(mutex, "insight.library")).toBe(libraryOf("async-mutex"));
    expect(attr(mutex, "insight.owners")).toBe(`holder:${holder}`);
    const line = lineOf(APP, "// await: waiter");
    const ops = state.asyncOps
      .filter((o) => o.pending && o.source === "Mutex::acquire")
      .map((o) => ({ task: Number(o.taskId), resource: o.resourceId, line: attr(o, "insight.await_line") }));
    expect(ops).toEqual([{ task: waiter, resource: mutex.id, line: sourceText(APP, line) }]);
  }, 60_000);
});
