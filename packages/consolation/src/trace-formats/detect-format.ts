/** Guesses the format of a trace or recording from its first lines. */
import type { TraceFormat } from "./runtime-event.js";
import { stripAnsi } from "../format/strip-ansi.js";

/** How many leading non-empty lines detection may look at (held in memory until decided). */
export const DETECT_LINES = 40;

const TEXT_HEADER = /^\d{4}-\d{2}-\d{2}T\S+\s+(?:TRACE|DEBUG|INFO|WARN|ERROR)\b(.*)$/;

/**
 * Returns the format, or undefined when the lines seen so far cannot decide
 * (call again with more lines, or `final` at end of input for a best guess).
 */
export function detectFormat(lines: readonly string[], final = false): TraceFormat | undefined {
  let textLines = 0;
  for (const raw of lines) {
    const line = stripAnsi(raw).trim();
    if (line === "") continue;
    if (line.startsWith("{")) {
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        if (value["format"] === "insight-recording") return "insight-recording";
        if ("v" in value && Object.keys(value).length === 1) return "console-recording";
        if (["Spawn", "Enter", "Exit", "Close", "Waker"].some((k) => k in value)) return "console-recording";
        if ("timestamp" in value) return "json";
      } catch {
        // A truncated first line: keep looking.
      }
      continue;
    }
    const header = TEXT_HEADER.exec(line);
    if (!header) continue;
    textLines++;
    const rest = header[1]!;
    // ari marks spans with `[id]{`; its multi-line form leaves the header line bare.
    if (/\[\d+\]\{/.test(rest) || rest.trim() === "") return "ari";
    if (/\}:/.test(rest) || /^\s*[^\s:]+:\S/.test(rest)) return "fmt";
    // Root events read the same in both ari and fmt, except for the field separator.
    if (/=\S*, [A-Za-z_][\w.]*=/.test(rest)) return "ari";
    if (/=\S* [A-Za-z_][\w.]*=/.test(rest)) return "fmt";
  }
  if (final || lines.length >= DETECT_LINES) return textLines > 0 ? "fmt" : undefined;
  return undefined;
}
