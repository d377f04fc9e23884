/**
 * Forcing a full garbage collection, for the GC proof.
 *
 * `v8.queryObjects()` forces one too, and is public, but it also walks the
 * whole heap and collects repeatedly: measured at 2 to 5 s on a 200 MB heap
 * against 0.2 to 0.7 s for one full GC (bench/insight-gc-proof.mjs), and it
 * prints an ExperimentalWarning into the host's stderr. So insight takes V8's
 * own `gc` function the way Node's test suites do: enabled for one new
 * context, the flag switched off again at once. When even that fails, the
 * proof is simply off.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { debug } from "./debug.js";

let collect: (() => void) | null | undefined;

/** A function running a full, synchronous GC, or undefined when none can be had. */
export function fullGc(): (() => void) | undefined {
  if (collect === undefined) {
    collect = null;
    try {
      const exposed = (globalThis as { gc?: unknown }).gc;
      if (typeof exposed === "function") {
        collect = exposed as () => void;
      } else {
        setFlagsFromString("--expose-gc");
        try {
          const gc: unknown = runInNewContext("gc");
          if (typeof gc === "function") collect = gc as () => void;
        } finally {
          setFlagsFromString("--no-expose-gc");
        }
      }
    } catch (error) {
      debug("no way to force a GC; the GC proof is off: %s", error);
    }
  }
  return collect ?? undefined;
}
