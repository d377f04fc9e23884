/**
 * Serves the built page (`@async-insight/web`'s dist/) and nothing else from disk.
 * Paths are resolved inside the root and checked to stay there, so `..` or
 * encoded slashes cannot read other files.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * The folder of an installed package, found the way Node finds the package
 * itself (both are declared dependencies), so it is right in the repository,
 * in an installed console's node_modules and from src/ or dist/ alike.
 * Undefined when the package is not installed.
 */
function packageDir(name: string): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The page's build: `@async-insight/web`'s dist/, or INSIGHT_WEB_DIST. */
export function defaultWebRoot(): string {
  return process.env.INSIGHT_WEB_DIST ?? join(packageDir("@async-insight/web") ?? "@async-insight/web (not installed)", "dist");
}

/**
 * The problems panel's pages (problems/<lint>.md under this root): the copy of
 * the repository's docs/problems that `@async-insight/engine` ships, or INSIGHT_DOCS_DIR.
 */
export function defaultDocsRoot(): string {
  return process.env.INSIGHT_DOCS_DIR ?? join(packageDir("@async-insight/engine") ?? "@async-insight/engine (not installed)", "docs");
}

export function webRootReady(root: string): boolean {
  return existsSync(join(root, "index.html"));
}

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  /** Hashed asset names never change content, so they may be cached. */
  readonly immutable: boolean;
}

export function readStaticFile(root: string, urlPath: string): StaticFile | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const relative = decoded === "/" ? "index.html" : normalize(decoded).replace(/^[/\\]+/, "");
  const base = resolve(root);
  const full = resolve(base, relative);
  if (full !== base && !full.startsWith(base + sep)) return undefined;
  try {
    if (!statSync(full).isFile()) return undefined;
    return {
      body: readFileSync(full),
      type: TYPES[extname(full)] ?? "application/octet-stream",
      immutable: relative.startsWith(`assets${sep}`) || relative.startsWith("assets/"),
    };
  } catch {
    return undefined;
  }
}

/** A lint's docs page, or undefined; the id is checked so it cannot name other files. */
export function readProblemDoc(docsRoot: string, lint: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(lint)) return undefined;
  try {
    return readFileSync(join(docsRoot, "problems", `${lint}.md`), "utf8");
  } catch {
    return undefined;
  }
}
