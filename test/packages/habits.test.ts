/**
 * The habits `npm test` enforces (CONTRIBUTING.md): Biome fails on a lint
 * error and on unformatted code with this repository's configuration, the
 * tests' own types are checked by tsconfig.tests.json, and the test runner
 * runs both checks before the suites.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const biome = join(repo, "node_modules", "@biomejs", "biome", "bin", "biome");

/** `biome ci` with this repository's biome.json on one file `name` (in a scratch folder, so nothing in the tree changes). */
function biomeCi(name: string, source: string) {
  const dir = mkdtempSync(join(tmpdir(), "insight-habits-"));
  try {
    copyFileSync(join(repo, "biome.json"), join(dir, "biome.json"));
    writeFileSync(join(dir, name), source);
    const result = spawnSync(process.execPath, [biome, "ci", "--vcs-enabled=false", "--error-on-warnings", name], { cwd: dir, encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("habits", () => {
  it("fails a lint error in a package source", () => {
    const { status, output } = biomeCi("probe.ts", 'import { join } from "node:path";\n\nexport const x = 1;\n');
    expect(status).not.toBe(0);
    expect(output).toContain("lint/correctness/noUnusedImports");
  });

  it("fails code that is not formatted", () => {
    const clean = biomeCi("probe.ts", "export const x = { a: 1 };\n");
    expect(clean.status).toBe(0);
    const { status, output } = biomeCi("probe.ts", "export const x = {a:1}\n");
    expect(status).not.toBe(0);
    expect(output).toContain("format");
  });

  it("type-checks every test and test helper", () => {
    const config = JSON.parse(readFileSync(join(repo, "tsconfig.tests.json"), "utf8")) as { include: string[]; compilerOptions: { noEmit: boolean } };
    expect(config.include).toEqual(["packages/*/src/**/*.ts", "test/**/*.ts", "vitest.config.ts"]);
    expect(config.compilerOptions.noEmit).toBe(true);
  });

  it("runs both checks in npm test, warnings included", () => {
    const runner = readFileSync(join(repo, "scripts", "test.mjs"), "utf8");
    expect(runner).toMatch(/"ci",\s*"--error-on-warnings"/);
    expect(runner).toContain('"tsconfig.tests.json"');
  });
});
