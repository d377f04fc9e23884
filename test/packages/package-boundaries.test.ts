/**
 * The packages are real packages: each declares what it loads at run time,
 * ships the files its exports and bin name, reads nothing outside its own
 * folder except through a declared dependency, and the dependencies form no
 * cycle. Only non-test sources are checked; tests may reach into fixtures.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

interface Manifest {
  readonly name: string;
  readonly workspaces?: string[];
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly files?: string[];
  readonly exports?: Record<string, string | Record<string, string>>;
  readonly bin?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
// The shipped packages; examples are workspaces too, to install their own dependencies, but are apps, not packages.
const packageDirs = readManifest(repo)
  .workspaces!.filter((path) => path.startsWith("packages/"))
  .map((path) => join(repo, path));
const packages = packageDirs.map((dir) => ({ dir, manifest: readManifest(dir) }));

/** Sources that end up in dist/ (or the bundle): no tests, no test-only helpers. */
function runtimeSources(dir: string): string[] {
  return readdirSync(join(dir, "src"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split(sep).includes("testing") && !file.split(sep).includes("testdata"));
}

interface Specifier {
  readonly file: string;
  readonly text: string;
  /** `import type` / `export type`: erased by the compiler, never loaded. */
  readonly typeOnly: boolean;
}

function specifiers(file: string): Specifier[] {
  const source = readFileSync(file, "utf8");
  const found: Specifier[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+"([^"]+)"/gms;
  for (const match of source.matchAll(statement)) found.push({ file, text: match[3]!, typeOnly: match[2] !== undefined });
  for (const match of source.matchAll(/^\s*import\s+"([^"]+)"/gm)) found.push({ file, text: match[1]!, typeOnly: false });
  for (const match of source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push({ file, text: match[1]!, typeOnly: false });
  for (const match of source.matchAll(/new URL\(\s*"([^"]+)"\s*,\s*import\.meta\.url\s*\)/g)) found.push({ file, text: match[1]!, typeOnly: false });
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageName = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("package boundaries", () => {
  it("has every workspace package on the list", () => {
    expect(packages.map((p) => p.manifest.name).sort()).toEqual(
      [
        "@async-insight/client",
        "@async-insight/engine",
        "@async-insight/protocol",
        "@async-insight/web",
        "@async-insight/web-contract",
        "async-consolation",
        "async-insight",
      ].sort(),
    );
  });

  for (const { dir, manifest } of packages) {
    describe(manifest.name, () => {
      const sources = runtimeSources(dir);
      const all = sources.flatMap(specifiers);
      // The web page is bundled at build time: what it imports is a build input, not something it loads when served.
      const bundled = manifest.name === "@async-insight/web";

      it("declares every package its code loads at run time as a dependency", () => {
        const declared = new Set(Object.keys(manifest.dependencies ?? {}));
        const loaded = all.filter((s) => !s.typeOnly && !s.text.startsWith(".") && !s.text.startsWith("node:")).map((s) => packageName(s.text));
        const missing = [...new Set(loaded)].filter((name) => name !== manifest.name && !declared.has(name) && !bundled);
        expect(missing).toEqual([]);
        if (bundled) expect(manifest.dependencies ?? {}).toEqual({});
      });

      it("declares the packages its types come from", () => {
        const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
        const named = all.filter((s) => !s.text.startsWith(".") && !s.text.startsWith("node:")).map((s) => packageName(s.text));
        expect([...new Set(named)].filter((name) => name !== manifest.name && !declared.has(name))).toEqual([]);
      });

      it("reaches no file outside its own folder by a relative path", () => {
        const outside = all
          .filter((s) => s.text.startsWith("."))
          .map((s) => ({ from: relative(repo, s.file), to: resolve(dirname(s.file), s.text) }))
          .filter(({ to }) => to !== dir && !to.startsWith(dir + sep))
          .map(({ from, to }) => `${from} -> ${relative(repo, to)}`);
        expect(outside).toEqual([]);
      });

      it("ships what its exports and bin point at", () => {
        const files = manifest.files ?? [];
        const targets = [
          ...Object.values(manifest.exports ?? {}).flatMap((entry) =>
            typeof entry === "string"
              ? [entry]
              : Object.entries(entry)
                  .filter(([condition]) => condition !== "insight-source")
                  .map(([, path]) => path),
          ),
          ...Object.values(manifest.bin ?? {}),
        ].map((path) => path.replace(/^\.\//, ""));
        const unshipped = targets.filter((path) => path !== "package.json" && !files.some((entry) => path === entry || path.startsWith(`${entry}/`)));
        expect(unshipped).toEqual([]);
      });
    });
  }

  it("has no dependency cycle between packages", () => {
    const names = new Set(packages.map((p) => p.manifest.name));
    const edges = new Map(
      packages.map((p) => [p.manifest.name, Object.keys({ ...p.manifest.dependencies, ...p.manifest.devDependencies }).filter((name) => names.has(name))]),
    );
    const cycles: string[] = [];
    const visit = (name: string, path: readonly string[]): void => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(" -> "));
        return;
      }
      for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
    };
    for (const name of names) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it("keeps the library's install free of the client, the engine and the console", () => {
    const library = packages.find((p) => p.manifest.name === "async-insight")!.manifest;
    expect(Object.keys(library.dependencies ?? {}).sort()).toEqual(["@async-insight/protocol", "@bufbuild/protobuf"]);
    const protocol = packages.find((p) => p.manifest.name === "@async-insight/protocol")!.manifest;
    expect(Object.keys(protocol.dependencies ?? {})).toEqual(["@bufbuild/protobuf"]);
  });
});
