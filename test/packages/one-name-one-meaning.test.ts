/**
 * One name, one meaning (issue 18 item 3): an exported name is DECLARED in
 * one place across packages/*\/src. Two files that each declare `taskLabel`
 * (or `Freer`, or `resolveOptions`) make a reader guess which one an import
 * means and whether they agree; re-exports (`export { x } from`) are fine.
 * A name may stand in two places only when both mean the same thing, and the
 * allow-list below says why. Tests, generated code and builds are not read.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** Names declared in more than one file on purpose: the files, and why they are one concept. */
const SAME_CONCEPT: Readonly<Record<string, { readonly files: readonly string[]; readonly why: string }>> = {
  field: {
    files: ["packages/engine/src/testing/fixtures.ts", "packages/insight/src/private/wire.ts"],
    why: "both build a protocol `Field` from a name and a value (the library's also sets the metadata id); the engine's builds test updates",
  },
};

interface Declaration {
  readonly file: string;
  readonly kind: string;
}

const EXPORTED_DECLARATION =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(function\s*\*?|class|interface|type|const\s+enum|const|let|var|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm;
/** `export { a, b as c };` with no `from`: names declared in this file (or imported, which is a re-export). */
const LOCAL_EXPORT_LIST = /^export\s+(?:type\s+)?\{([^}]*)\}\s*;/gm;

function sources(): string[] {
  const files: string[] = [];
  for (const pkg of readdirSync(join(repo, "packages"), { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    const src = join(repo, "packages", pkg.name, "src");
    if (!existsSync(src)) continue;
    const entries = readdirSync(src, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.(ts|tsx|mts)$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name) || entry.name.endsWith(".d.ts")) continue;
      const file = join(entry.parentPath, entry.name);
      const parts = relative(src, file).split(sep);
      if (parts.includes("gen") || parts.includes("dist") || parts.includes("node_modules")) continue;
      files.push(file);
    }
  }
  return files;
}

function declaredIn(text: string, name: string): boolean {
  const escaped = name.replace(/\$/g, "\\$");
  return new RegExp(`^(?:declare\\s+)?(?:async\\s+)?(?:abstract\\s+)?(?:function\\s*\\*?|class|interface|type|const|let|var|enum)\\s+${escaped}\\b`, "m").test(
    text,
  );
}

function declarations(): Map<string, Declaration[]> {
  const byName = new Map<string, Declaration[]>();
  const add = (name: string, declaration: Declaration) => {
    const list = byName.get(name) ?? [];
    // Overloads and a type beside its value of the same name are one declaration.
    if (!list.some((d) => d.file === declaration.file)) list.push(declaration);
    byName.set(name, list);
  };
  for (const path of sources()) {
    const text = readFileSync(path, "utf8");
    const file = relative(repo, path).split(sep).join("/");
    for (const match of text.matchAll(EXPORTED_DECLARATION)) add(match[2]!, { file, kind: match[1]!.replace(/\s+/g, " ") });
    for (const match of text.matchAll(LOCAL_EXPORT_LIST)) {
      for (const item of match[1]!.split(",")) {
        const [local, exported] = item
          .replace(/^\s*type\s+/, "")
          .trim()
          .split(/\s+as\s+/);
        if (local && declaredIn(text, local)) add(exported ?? local, { file, kind: "export list" });
      }
    }
  }
  return byName;
}

const all = declarations();
const clashes = [...all].filter(([, list]) => list.length > 1);

describe("one name, one meaning", () => {
  it("reads the packages' sources (the scan sees the declarations it must)", () => {
    expect(all.get("RuntimeStore")).toEqual([{ file: "packages/engine/src/store/store.ts", kind: "class" }]);
    expect(all.get("LiveTask")).toEqual([{ file: "packages/insight/src/private/records.ts", kind: "class" }]);
    // A re-export is not a declaration: the engine's index hands RuntimeStore on, and is not listed above.
    expect(all.get("DISCOVERY_FORMAT")?.map((d) => d.file)).toContain("packages/protocol/src/discovery-dir.ts");
  });

  it("declares each exported name in one place, unless the allow-list says why two are one concept", () => {
    const unexplained = clashes
      .filter(([name, list]) => {
        const allowed = SAME_CONCEPT[name];
        return !(
          allowed &&
          [...allowed.files].sort().join() ===
            list
              .map((d) => d.file)
              .sort()
              .join()
        );
      })
      .map(([name, list]) => `${name}: ${list.map((d) => `${d.file} (${d.kind})`).join(", ")}`);
    expect(unexplained).toEqual([]);
  });

  it("keeps the allow-list honest: each entry is still declared in exactly the files it names", () => {
    for (const [name, allowed] of Object.entries(SAME_CONCEPT)) {
      expect(
        all
          .get(name)
          ?.map((d) => d.file)
          .sort(),
        name,
      ).toEqual([...allowed.files].sort());
    }
  });
});
