/** Durations typed on the command line: `10s`, `500ms`, `2m`, `1.5s`, or plain seconds. */
import { CliError } from "./cli-error.js";

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Returns milliseconds. */
export function parseDurationMs(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`${option} expects a duration such as 10s or 500ms, got "${text}"`);
  return Number(m[1]) * UNITS[m[2] ?? "s"]!;
}
