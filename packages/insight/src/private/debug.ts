/**
 * insight's only output channel in the host process: `NODE_DEBUG=insight`.
 * Everything the library wants to say goes here, never to stdout or stderr.
 */
import { debuglog } from "node:util";

export const debug = debuglog("insight");

/** Runs `fn`, swallowing (and logging) anything it throws: insight must never throw into the host. */
export function guarded<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    debug("%s failed: %s", what, error instanceof Error ? (error.stack ?? error.message) : String(error));
    return fallback;
  }
}
