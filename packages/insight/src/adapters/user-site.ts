/**
 * Where in user code a library call came from (adapters/kit.ts): the first
 * frame outside Node, node_modules and insight, found past a library's own
 * frames (knex → tarn, runExclusive → acquire).
 */
import { spendCapture } from "../private/await-hooks.js";
import { isInsightFile, readStackNow, type Location, type Site } from "../private/callsite.js";
import { debug } from "../private/debug.js";

/** Frames read to find user code under a library's own frames (knex → tarn, runExclusive → acquire). */
const SITE_DEPTH = 24;

function isUserFile(file: string): boolean {
  return !(file.startsWith("node:") || file.startsWith("internal/") || !file.includes("/") || file.includes("/node_modules/") || isInsightFile(file));
}

/**
 * file:// URL → path, memoised: a blocked wait reads its stack on the app's hot
 * path (a contended pool), and parsing the same few module URLs each time was
 * most of its cost (bench/adapter-cost.mjs). Bounded: cleared when full.
 */
const paths = new Map<string, string>();

function pathOfUrl(url: string): string {
  let path = paths.get(url);
  if (path === undefined) {
    if (paths.size >= 1024) paths.clear();
    path = decodeURIComponent(new URL(url).pathname);
    paths.set(url, path);
  }
  return path;
}

function firstUserLocation(_error: Error, frames: NodeJS.CallSite[]): Location | null {
  for (const frame of frames) {
    let file = frame.getFileName() ?? frame.getScriptNameOrSourceURL?.();
    if (!file) continue;
    if (file.startsWith("file://")) file = pathOfUrl(file);
    if (!isUserFile(file)) continue;
    return { file, line: frame.getLineNumber() ?? 0, column: frame.getColumnNumber() ?? 0 };
  }
  return null;
}

/**
 * The first frame in user code (outside Node, node_modules and insight) below
 * `below`, read at once: only on slow paths (a resource's first sighting, a
 * wait that blocks), and a site keeps no stack alive.
 */
export function userSite(below: Function): Site {
  try {
    return { holder: undefined, raw: readStackNow(below, SITE_DEPTH, firstUserLocation) ?? null };
  } catch (error) {
    debug("could not read a user call site: %s", error);
    return { holder: undefined, raw: null };
  }
}

/**
 * Captures a second for library waits beyond the shared budget: a program
 * whose promises spend the tracker's budget (a busy startup with
 * INSIGHT_AWAITS=always) must still place the few waits that then hang.
 */
const RESERVE_PER_SECOND = 100;
let reserve = RESERVE_PER_SECOND;
let reserveSecond = 0;

function spendReserve(): boolean {
  const second = Math.floor(Date.now() / 1000);
  if (second !== reserveSecond) {
    reserveSecond = second;
    reserve = RESERVE_PER_SECOND;
  }
  return reserve-- > 0;
}

/**
 * The await site of a blocked wait, cheaply: V8's structured capture now
 * (about as deep as userSite's, to get past a library's frames), read into
 * the first user frame only at publish (callsite.ts settleSite, with this
 * file's reader).
 * Each capture spends one of the await tracker's per-second captures
 * (await-hooks.ts CAPTURES_PER_SECOND), then up to RESERVE_PER_SECOND of
 * its own: past them, a wait gets no site (nor words until it is still
 * pending at a publish), so a contended pool costs a bounded share of a core.
 */
export function captureUserSite(below: Function): Site {
  if (!spendCapture() && !spendReserve()) return { holder: undefined, raw: null };
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = SITE_DEPTH;
  try {
    Error.captureStackTrace(holder, below);
    return { holder, raw: undefined, read: firstUserLocation };
  } catch (error) {
    debug("could not capture a user call site: %s", error);
    return { holder: undefined, raw: null };
  } finally {
    Error.stackTraceLimit = limit;
  }
}
