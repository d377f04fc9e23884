/** RFC 3339 timestamps (as tracing prints them) to exact nanoseconds since the epoch. */

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

let cachedPrefix = "";
let cachedSeconds = 0n;

export function parseTimestampNs(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const prefix = m[1]! + m[3]!;
  // Consecutive lines usually share the second; Date.parse is the slow part.
  if (prefix !== cachedPrefix) {
    const ms = Date.parse(`${m[1]}${m[3] === "Z" ? "Z" : m[3]}`);
    if (Number.isNaN(ms)) return undefined;
    cachedPrefix = prefix;
    cachedSeconds = BigInt(ms / 1000);
  }
  const fraction = (m[2] ?? "").padEnd(9, "0");
  return cachedSeconds * 1_000_000_000n + BigInt(fraction);
}

/** Formats nanoseconds since the epoch as RFC 3339 with microseconds. */
export function formatTimestampNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const micros = Number((ns / 1000n) % 1_000_000n);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, "0")}Z`;
}
