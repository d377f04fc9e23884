/**
 * Reading the stacks the await tracker captures (await-tracker.ts), and
 * telling from them what Node API made the promise a task awaits. Frames are
 * read as plain data (file, line, column, function name) and the captured
 * stack let go, as callsite.ts does for sites.
 */
import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { isInsightFile, type Location } from "./callsite.js";
import { debug } from "./debug.js";

export interface Frame extends Location {
  readonly fn: string;
}

/** What a task awaits, as published: a resource's concrete type and a few words. */
export type AwaitKind = "Promise" | "Timer" | "Fetch" | "HttpRequest" | "Fs" | "Dns" | "EventEmitter" | "Stream" | "ChildProcess" | "Worker" | "Socket";

function pathOf(name: string): string {
  if (!name.startsWith("file://")) return name;
  try {
    return fileURLToPath(name);
  } catch {
    return name;
  }
}

function toFrames(_error: Error, callSites: NodeJS.CallSite[]): Frame[] {
  const out: Frame[] = [];
  for (const site of callSites) {
    const name = site.getFileName() ?? site.getScriptNameOrSourceURL?.();
    out.push({ file: name ? pathOf(name) : "", line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0, fn: site.getFunctionName() ?? "" });
  }
  return out;
}

/**
 * The frames of a stack captured with Error.captureStackTrace into `holder`
 * (read once: V8 formats on first read), or of the call sites it carries.
 */
export function readFrames(holder: { stack?: unknown; sites?: readonly NodeJS.CallSite[] | undefined }): Frame[] {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = toFrames;
  try {
    const frames = holder.sites !== undefined ? toFrames(undefined as unknown as Error, holder.sites as NodeJS.CallSite[]) : holder.stack;
    if (!Array.isArray(frames)) return [];
    // Node calls the hooks through its own dispatcher: not part of what ran.
    let start = 0;
    while (start < frames.length && (frames[start] as Frame).file === "node:internal/promise_hooks") start++;
    return (start === 0 ? frames : frames.slice(start)) as Frame[];
  } catch (error) {
    debug("could not read an await stack: %s", error);
    return [];
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** Node's own code and builtins (frames with no file). */
export function isNodeFrame(frame: Frame): boolean {
  return frame.file === "" || frame.file.startsWith("node:") || frame.file.startsWith("internal/") || !frame.file.includes("/");
}

const isDependency = (frame: Frame) => frame.file.includes("/node_modules/");

/**
 * The protocol package's folder: the console server runs in the task that
 * called init() (the main task), and its own awaits are not the app's.
 */
const PROTOCOL_ROOT = (() => {
  try {
    return dirname(dirname(fileURLToPath(import.meta.resolve("@async-insight/protocol")))) + sep;
  } catch {
    return undefined;
  }
})();

/** insight's own code: the library, or the console server it runs. */
export function isOwnFile(file: string): boolean {
  return isInsightFile(file) || (PROTOCOL_ROOT !== undefined && file.startsWith(PROTOCOL_ROOT));
}

/** Index of the first frame outside Node and insight, or -1. */
export function firstCodeFrame(frames: readonly Frame[]): number {
  return frames.findIndex((f) => !isNodeFrame(f) && !isOwnFile(f.file));
}

/**
 * The await site: the first frame of the app itself (outside node_modules),
 * else the first frame outside Node and insight. An await inside a library
 * (async-mutex's runExclusive) is reported where the app awaits the library;
 * V8's async stack frames make that caller visible even when it is suspended.
 */
export function awaitSiteIndex(frames: readonly Frame[]): number {
  const app = frames.findIndex((f) => !isNodeFrame(f) && !isOwnFile(f.file) && !isDependency(f));
  return app >= 0 ? app : firstCodeFrame(frames);
}

const KINDS: ReadonlyArray<readonly [RegExp, AwaitKind]> = [
  [/^node:internal\/deps\/undici|^node:internal\/fetch|undici/, "Fetch"],
  [/^node:(internal\/)?timers/, "Timer"],
  [/^node:(internal\/)?fs/, "Fs"],
  [/^node:(internal\/)?dns/, "Dns"],
  [/^node:_http_|^node:https?$/, "HttpRequest"],
  [/^node:(internal\/)?child_process/, "ChildProcess"],
  [/^node:(internal\/)?worker/, "Worker"],
  [/^node:(internal\/)?(streams|stream)/, "Stream"],
  [/^node:net$/, "Socket"],
  [/^node:events$|^node:internal\/events/, "EventEmitter"],
];

export interface Classified {
  readonly kind: AwaitKind;
  /** The Node function the app called (readFile, once, setTimeout), when known. */
  readonly api: string;
}

/**
 * What Node API made a promise, from the frames between the first code frame
 * and the top of the stack: the Node frame of a known module nearest the code
 * frame wins, the function the code called (readFile, not its helpers).
 */
export function classify(frames: readonly Frame[], end: number): Classified | undefined {
  const stop = end < 0 ? frames.length : end;
  for (let i = stop - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (!frame.file.startsWith("node:")) continue;
    for (const [pattern, kind] of KINDS) if (pattern.test(frame.file)) return { kind, api: frame.fn };
  }
  return undefined;
}

/** A location as people read it: relative to the working directory when inside it. */
export function shortLocation(location: Location): string {
  let file = location.file;
  if (file.startsWith("/")) {
    const rel = relative(process.cwd(), file);
    if (!rel.startsWith("..")) file = rel;
  }
  return `${file}:${location.line}:${location.column}`;
}
