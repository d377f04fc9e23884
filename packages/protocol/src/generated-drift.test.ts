/**
 * The generated code in src/gen is committed, so nothing rebuilds it on the
 * way to a test run. This regenerates it with the pinned buf and protoc-gen-es
 * into a scratch directory and fails on any difference, so an edited .proto
 * (or a hand edit under src/gen) cannot go unnoticed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const repoBin = fileURLToPath(new URL("../../../node_modules/.bin", import.meta.url));
const committedDir = join(packageDir, "src", "gen");
const scratch = mkdtempSync(join(tmpdir(), "insight-gen-drift-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function buf(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // protoc-gen-es is a "local" plugin: buf finds it on PATH, as under `npm run generate`.
    const env = { ...process.env, PATH: `${repoBin}${delimiter}${process.env.PATH ?? ""}` };
    execFile(join(repoBin, "buf"), args, { cwd: packageDir, env, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`buf ${args.join(" ")} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}

describe("generated code in src/gen", () => {
  it("is exactly what buf generate produces from proto/", async () => {
    // Same template as the package's own, with only the output directory moved.
    const template = readFileSync(join(packageDir, "buf.gen.yaml"), "utf8");
    const outLine = /^(\s*out:\s*)src\/gen\s*$/m;
    expect(template, "buf.gen.yaml should write to src/gen").toMatch(outLine);
    const outDir = join(scratch, "gen");
    const templatePath = join(scratch, "buf.gen.yaml");
    writeFileSync(templatePath, template.replace(outLine, `$1${JSON.stringify(outDir)}`));

    await buf(["generate", "--template", templatePath]);

    const fresh = listFiles(outDir);
    const committed = listFiles(committedDir);
    expect(fresh.length, "buf generated nothing").toBeGreaterThan(0);
    expect(committed, "files missing from (or extra in) src/gen").toEqual(fresh);
    const changed = fresh.filter((file) => readFileSync(join(outDir, file), "utf8") !== readFileSync(join(committedDir, file), "utf8"));
    expect(changed, "src/gen differs from a fresh `npm run generate`; regenerate and commit").toEqual([]);
  });
});
