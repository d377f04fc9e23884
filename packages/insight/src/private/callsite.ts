/**
 * Where in user code something happened: a spawn, a primitive's creation, a
 * blocking await. The stack is captured at most 8 frames deep; later (see
 * Site) its first user frame is kept as plain data and the stack let go
 * (frames of insight itself, of node: internals and of node_modules/async-insight
 * are skipped). TypeScript locations are mapped
 * back through `module.findSourceMap`, lazily when an update is built, when
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

/**
 * A captured site. Capturing is cheap (V8 records structured frames); reading
 * the frames costs several microseconds more, so it waits until the site is
 * needed or the record has outlived a publish interval (settleSite, called by
 * Runtime.settleDeferred), whichever comes first. Then only the first user
 * frame's file, line and column are kept: a captured stack holds each frame's
 * receiver and function alive, and the GC proof needs insight's records to
 * hold nothing of the program for long. Source maps are applied when an
 * update is built.
 */
export interface Site {
  /** The captured, unread stack; dropped once read. */
  holder: { stack?: unknown } | undefined;
  /** The first user frame, once read (null: none). */
  raw: Location | null | undefined;
  /** How the frames are read (the default skips insight and Node; library adapters skip node_modules too). */
  read?: ((error: Error, frames: NodeJS.CallSite[]) => Location | null) | undefined;
}

type Frame = NodeJS.CallSite;

/** This package's source or dist folder: everything under it is ours. */
const OUR_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Enough to get past insight's own frames and a wrapper or two. */
const STACK_DEPTH = 8;

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
  return file.startsWith("node:") || file.startsWith("internal/") || !file.includes("/") || isInsightFile(file);
}

/**
 * A file of insight itself (its tests count as user code): this copy, another
 * installed copy (a library that depends on its own), or one of its scoped
 * packages (the protocol's console server).
 */
export function isInsightFile(file: string): boolean {
  return (
    (file.startsWith(OUR_ROOT) && !file.endsWith(".test.ts")) || file.includes("/node_modules/async-insight/") || file.includes("/node_modules/@async-insight/")
  );
}

/** Error.prepareStackTrace while capturing: the first user frame, as data. */
function firstUserFrame(_error: Error, frames: Frame[]): Location | null {
  for (const frame of frames) {
    const name = frame.getFileName() ?? frame.getScriptNameOrSourceURL?.();
    if (!name) continue;
    const file = pathOf(name);
    if (isOurs(file)) continue;
    return { file, line: frame.getLineNumber() ?? 0, column: frame.getColumnNumber() ?? 0 };
  }
  return null;
}

/** Captures the current stack, excluding `below` and everything it called; read later (settleSite). */
export function captureSite(below: Function): Site {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_DEPTH;
  try {
    Error.captureStackTrace(holder, below);
    return { holder, raw: undefined };
  } catch (error) {
    debug("could not capture a call site: %s", error);
    return { holder: undefined, raw: null };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Captures the stack below `below`, at most `depth` frames, and reads it at
 * once through `read` (as Error.prepareStackTrace), putting the app's own
 * stack settings back: what `read` returns, or undefined when V8 gave a string.
 */
export function readStackNow<T>(below: Function, depth: number, read: (error: Error, frames: NodeJS.CallSite[]) => T): T | undefined {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const previous = Error.prepareStackTrace;
  Error.stackTraceLimit = depth;
  Error.prepareStackTrace = read;
  try {
    Error.captureStackTrace(holder, below);
    const stack = holder.stack;
    return typeof stack === "string" ? undefined : (stack as T);
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = limit;
  }
}

/** Reads a captured site's first user frame now and lets the stack go. */
export function settleSite(site: Site | undefined): void {
  if (site === undefined || site.raw !== undefined) return;
  const holder = site.holder;
  site.holder = undefined;
  site.raw = null;
  if (holder === undefined) return;
  const previous = Error.prepareStackTrace;
  // V8 formats a captured stack on its first read, through the
  // prepareStackTrace in place at that moment.
  Error.prepareStackTrace = site.read ?? firstUserFrame;
  try {
    const raw = holder.stack;
    if (raw !== null && typeof raw === "object") site.raw = raw as Location;
  } catch (error) {
    debug("could not read a call site: %s", error);
  } finally {
    Error.prepareStackTrace = previous;
  }
}

const resolved = new WeakMap<Site, Location | null>();

/** The first user frame of a captured site, mapped through source maps (cached), or undefined. */
export function resolveSite(site: Site | undefined): Location | undefined {
  if (!site) return undefined;
  settleSite(site);
  if (!site.raw) return undefined;
  const cached = resolved.get(site);
  if (cached !== undefined) return cached ?? undefined;
  const location = mapLocation(site.raw);
  resolved.set(site, location);
  return location;
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

export function locationOrUnknown(location: Location | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : "<unknown>";
}
