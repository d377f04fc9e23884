/**
 * Keeps the console's heap close to what it holds. By default V8 sizes the
 * heap for throughput: the young generation grows to two 16 MB semi-spaces
 * and the old generation may grow to about twice the live data before a
 * full collection. A console receives one update a second, a few megabytes
 * each, so with those defaults most of its resident memory was garbage
 * waiting for a collection (at 10k tasks: ~60 MB live, ~200 MB resident).
 *
 * Both settings below are read by V8's heap each time it resizes, so they
 * take effect when set at start-up (a command-line flag is not needed; V8
 * refuses some of them in NODE_OPTIONS anyway):
 * - `--semi-space-growth-factor=1`: the young generation stays at its
 *   initial 1 MB semi-spaces instead of doubling up to 16 MB;
 * - `--heap-growing-percent=10`: the next full collection comes when the
 *   old generation is 10 % above what the last one kept.
 * The price is more collections (CPU), measured in BENCHMARKS.md ("Console
 * CPU and memory vs tokio-console"). `CONSOLATION_HEAP=default` leaves V8's
 * defaults, to compare.
 */
import { setFlagsFromString } from "node:v8";

export const HEAP_FLAGS: readonly string[] = ["--semi-space-growth-factor=1", "--heap-growing-percent=10"];

/** Applies HEAP_FLAGS unless `CONSOLATION_HEAP=default`; returns the flags applied. */
export function tuneHeap(env: NodeJS.ProcessEnv): readonly string[] {
  if (env["CONSOLATION_HEAP"] === "default") return [];
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag);
  return HEAP_FLAGS;
}
