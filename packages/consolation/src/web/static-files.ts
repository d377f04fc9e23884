/**
 * Serves the built page (packages/web/dist) and nothing else from disk. Paths
 * are resolved inside the root and checked to stay there, so `..` or encoded
 * slashes cannot read other files.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

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

/** packages/web/dist, seen from this file in either packages/consolation/src/web or dist/web. */
export function defaultWebRoot(): string {
  return process.env.INSIGHT_WEB_DIST ?? fileURLToPath(new URL("../../../web/dist", import.meta.url));
}

/** Repository docs, for the problems panel's pages (docs/problems/<lint>.md). */
export function defaultDocsRoot(): string {
  return process.env.INSIGHT_DOCS_DIR ?? fileURLToPath(new URL("../../../../docs", import.meta.url));
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
