/**
 * `CONSOLATION_MEMORY_LOG=<file>`: once a second, appends one JSON line with
 * where the console's memory is (process.memoryUsage, V8's heap spaces, and
 * the kernel's resident split from /proc/self/status) to that file. For
 * measuring the console while it draws, so it never writes to the terminal;
 * a file that cannot be written stops the log and nothing else.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";

const MB = 1024 * 1024;
const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** RssAnon, RssFile, VmHWM and Threads from /proc/self/status (Linux only; empty elsewhere). */
function kernelView(): Record<string, number> {
  let status: string;
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    return {};
  }
  const view: Record<string, number> = {};
  for (const key of ["VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads"]) {
    const value = Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1]);
    if (Number.isFinite(value)) view[key] = key === "Threads" ? value : Math.round((value / 1024) * 10) / 10;
  }
  return view;
}

/** One line: every figure in MB (threads as a count). */
export function memorySample(): Record<string, unknown> {
  const usage = process.memoryUsage();
  const heap = getHeapStatistics();
  const spaces: Record<string, { used: number; committed: number }> = {};
  for (const space of getHeapSpaceStatistics()) spaces[space.space_name] = { used: round(space.space_used_size), committed: round(space.space_size) };
  return {
    at: new Date().toISOString(),
    pid: process.pid,
    execArgv: process.execArgv,
    rss: round(usage.rss),
    heapUsed: round(usage.heapUsed),
    heapTotal: round(usage.heapTotal),
    external: round(usage.external),
    arrayBuffers: round(usage.arrayBuffers),
    mallocedMemory: round(heap.malloced_memory),
    peakMallocedMemory: round(heap.peak_malloced_memory),
    ...kernelView(),
    spaces,
  };
}

/**
 * Starts the log when `CONSOLATION_MEMORY_LOG` names a file: the timer that
 * writes it, or undefined when nothing was asked or the file cannot be written.
 */
export function startMemoryLog(env: NodeJS.ProcessEnv, everyMs = 1000): NodeJS.Timeout | undefined {
  const file = env["CONSOLATION_MEMORY_LOG"];
  if (!file) return undefined;
  const write = (): boolean => {
    try {
      appendFileSync(file, `${JSON.stringify(memorySample())}\n`);
      return true;
    } catch {
      return false;
    }
  };
  // One line at once, so even a command that ends at once leaves one.
  if (!write()) return undefined;
  const timer = setInterval(() => {
    if (!write()) clearInterval(timer);
  }, everyMs);
  timer.unref();
  return timer;
}
