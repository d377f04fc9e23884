/**
 * `consolation web` finds the page and the problem pages through its declared
 * dependencies (@async-insight/web, @async-insight/engine), not by climbing out of its own
 * folder, and the environment overrides still win.
 */
import { readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultDocsRoot, defaultWebRoot, readProblemDoc } from "./static-files.js";

const repo = realpathSync(fileURLToPath(new URL("../../../../", import.meta.url)));
const OVERRIDES = ["INSIGHT_WEB_DIST", "INSIGHT_DOCS_DIR"] as const;
const saved = new Map<string, string | undefined>();

beforeEach(() => {
  for (const name of OVERRIDES) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
});

afterEach(() => {
  for (const name of OVERRIDES) {
    const value = saved.get(name);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("where consolation web reads its files", () => {
  it("serves the page from the installed @async-insight/web package's dist/", () => {
    // dist/ itself exists only after a build; the package folder always does.
    const root = defaultWebRoot();
    expect(join(realpathSync(dirname(root)), basename(root))).toBe(join(repo, "packages", "web", "dist"));
  });

  it("reads problem pages from the copy the installed @async-insight/engine ships", () => {
    const root = defaultDocsRoot();
    expect(realpathSync(root)).toBe(join(repo, "packages", "engine", "docs"));
    expect(readProblemDoc(root, "deadlock-cycle")).toBe(readFileSync(join(repo, "docs", "problems", "deadlock-cycle.md"), "utf8"));
  });

  it("lets INSIGHT_WEB_DIST and INSIGHT_DOCS_DIR point elsewhere", () => {
    process.env.INSIGHT_WEB_DIST = "/srv/insight-web";
    process.env.INSIGHT_DOCS_DIR = "/srv/insight-docs";
    expect(defaultWebRoot()).toBe("/srv/insight-web");
    expect(defaultDocsRoot()).toBe("/srv/insight-docs");
  });
});
