/**
 * Helpers for the library's in-process tests of adapters against real
 * libraries and servers: lines found by marker comments in a fixture (so a
 * test never hard-codes a line number), and polling the runtime until a wait
 * shows. Test-only: left out of the build (tsconfig.json) and the tarball.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Runtime } from "../private/runtime.js";

/** `lineOf(marker)`: the 1-based line of the fixture that holds `marker`; it must hold exactly one. */
export function markerLines(fixture: string): (marker: string) => number {
  const lines = readFileSync(fixture, "utf8").split("\n");
  return (marker) => {
    const found = lines.flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
    expect(found, marker).toHaveLength(1);
    return found[0]!;
  };
}

/** Settles what the runtime defers and asks `check` every 10 ms until it answers (10 s at most). */
export async function until<T>(rt: Runtime, what: string, check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    rt.settleDeferred();
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
