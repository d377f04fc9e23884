/**
 * Where in user code something happened: a spawn, a primitive's creation, a
 * blocking await. The stack is captured cheaply (V8 records structured frames
 * and formats them only on first read of `.stack`) and resolved lazily, when
 * an update is built. Frames of insight itself, of node: internals and of
 * node_modules/@insight are skipped; the first remaining frame is the user's.
 * TypeScript locations are mapped back through `module.findSourceMap` when
 * Node has the map (it does under --enable-source-maps).
 */
import { readFile } from "node:fs/promises";
import { findSourceMap } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { debug } from "./debug.js";

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A captured stack waiting to be resolved. */
export interface Site {
  stack?: unknown;
}

type Frame = NodeJS.CallSite;

/** This package's source or dist folder: everything under it is ours. */
const OUR_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Enough to get past insight's own frames and a wrapper or two. */
const STACK_DEPTH = 8;

/** Captures the current stack, excluding `below` and everything it called. */
export function captureSite(below: Function): Site {
  const site: Site = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_DEPTH;
  Error.captureStackTrace(site, below);
  Error.stackTraceLimit = limit;
  return site;
}

function structuredFrames(site: Site): Frame[] {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames) => frames;
  try {
    const frames = site.stack;
    return Array.isArray(frames) ? (frames as Frame[]) : [];
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function pathOf(fileName: string): string {
  if (fileName.startsWith("file://")) {
    try {
      return fileURLToPath(fileName);
    } catch {
      return fileName;
    }
  }
  return fileName;
}

function isOurs(file: string): boolean {
  return (
    file.startsWith("node:") ||
    file.startsWith("internal/") ||
    !file.includes("/") ||
    (file.startsWith(OUR_ROOT) && !file.endsWith(".test.ts")) ||
    file.includes("/node_modules/insight/")
  );
}

const resolved = new WeakMap<Site, Location | null>();

/** The first user frame of a captured site (cached), or undefined. */
export function resolveSite(site: Site | undefined): Location | undefined {
  if (!site) return undefined;
  const cached = resolved.get(site);
  if (cached !== undefined) return cached ?? undefined;
  let location: Location | null = null;
  try {
    for (const frame of structuredFrames(site)) {
      const name = frame.getFileName() ?? frame.getScriptNameOrSourceURL?.();
      if (!name) continue;
      const file = pathOf(name);
      if (isOurs(file)) continue;
      location = mapLocation({ file, line: frame.getLineNumber() ?? 0, column: frame.getColumnNumber() ?? 0 });
      break;
    }
  } catch (error) {
    debug("could not resolve a call site: %s", error);
  }
  resolved.set(site, location);
  return location ?? undefined;
}

function mapLocation(location: Location): Location {
  try {
    const map = findSourceMap(location.file);
    if (!map) return location;
    const entry = map.findEntry(location.line - 1, location.column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry.originalSource || entry.originalLine === undefined) return location;
    return { file: pathOf(entry.originalSource), line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  } catch {
    return location;
  }
}

/** Source files read for await-line text, bounded so a huge app cannot grow it without limit. */
const MAX_CACHED_FILES = 256;
const sources = new Map<string, string[] | null>();
const loading = new Map<string, Promise<void>>();

/** The trimmed source text at a location, if its file has been read already. */
export function sourceLine(location: Location): string | undefined {
  const lines = sources.get(location.file);
  return lines?.[location.line - 1]?.trim();
}

/**
 * Reads a file asynchronously for `sourceLine` (never blocking the host with
 * sync I/O); resolves once it is cached or known unreadable.
 */
export function loadSource(file: string): Promise<void> {
  if (sources.has(file)) return Promise.resolve();
  let pending = loading.get(file);
  if (!pending) {
    pending = readFile(file, "utf8").then(
      (text) => cacheSource(file, text.split(/\r?\n/)),
      () => cacheSource(file, null),
    );
    loading.set(file, pending);
  }
  return pending;
}

function cacheSource(file: string, lines: string[] | null): void {
  loading.delete(file);
  if (sources.size >= MAX_CACHED_FILES) {
    const oldest = sources.keys().next().value;
    if (oldest !== undefined) sources.delete(oldest);
  }
  sources.set(file, lines);
}

export function formatLocation(location: Location | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : "<unknown>";
}
