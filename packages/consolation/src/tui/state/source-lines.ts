/** Reads one line of a source file for the task view, cached; missing files just yield nothing. */
import { readFileSync } from "node:fs";

const cache = new Map<string, string[] | null>();

export function readSourceLine(file: string, line: number): string | undefined {
  let lines = cache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, "utf8").split(/\r?\n/);
    } catch {
      lines = null;
    }
    cache.set(file, lines);
  }
  return lines?.[line - 1]?.trim() || undefined;
}
