/**
 * The problem pages ship inside this package (docs/problems, listed in
 * `files`), copied from the repository's docs/problems by `npm run generate`,
 * because `consolation web` serves them from the installed engine. The copy is
 * committed, so nothing refreshes it on the way to a test run: this fails when
 * it differs from the source, or when a lint has no page in it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lintDefinitions } from "./registry.js";

const packageDir = fileURLToPath(new URL("../../", import.meta.url));
const sourceDir = fileURLToPath(new URL("../../../../docs/problems", import.meta.url));
const shippedDir = join(packageDir, "docs", "problems");
const pages = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort();

describe("problem pages shipped with the engine", () => {
  it("are exactly the repository's docs/problems", () => {
    expect(pages(shippedDir), "pages missing from (or extra in) packages/engine/docs/problems; run npm run generate").toEqual(pages(sourceDir));
    const changed = pages(sourceDir).filter((name) => readFileSync(join(sourceDir, name), "utf8") !== readFileSync(join(shippedDir, name), "utf8"));
    expect(changed, "packages/engine/docs/problems differs from docs/problems; run npm run generate and commit").toEqual([]);
  });

  it("include the page every lint names, at its docsPath inside the package", () => {
    const shipped = new Set(pages(shippedDir));
    const missing = lintDefinitions()
      .map((lint) => lint.docsPath)
      .filter((docsPath) => !docsPath.startsWith("docs/problems/") || !shipped.has(docsPath.slice("docs/problems/".length)));
    expect(missing).toEqual([]);
  });

  it("are listed in the package's files, so an install carries them", () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { files: string[] };
    expect(manifest.files).toContain("docs/problems");
  });
});
