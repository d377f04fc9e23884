/**
 * Lists where two JSON values differ, one line per differing leaf, keyed by
 * path (e.g. `updates[0].taskUpdate.statsUpdate.18446744073709551614.wakes`).
 * A deep-equality failure on a 100-field message is hard to read; this names
 * the exact field that two decoders disagree on.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function kind(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export function jsonDifferences(actual: unknown, expected: unknown, path = "$"): string[] {
  const a = actual as Json;
  const e = expected as Json;
  if (kind(a) !== kind(e)) return [`${path}: ${JSON.stringify(a)} (${kind(a)}) ≠ expected ${JSON.stringify(e)} (${kind(e)})`];
  if (Array.isArray(a) && Array.isArray(e)) {
    const out: string[] = [];
    if (a.length !== e.length) out.push(`${path}: length ${a.length} ≠ expected ${e.length}`);
    for (let i = 0; i < Math.min(a.length, e.length); i++) out.push(...jsonDifferences(a[i], e[i], `${path}[${i}]`));
    return out;
  }
  if (a !== null && e !== null && typeof a === "object" && typeof e === "object") {
    const out: string[] = [];
    const ao = a as Record<string, Json>;
    const eo = e as Record<string, Json>;
    for (const key of new Set([...Object.keys(ao), ...Object.keys(eo)])) {
      if (!(key in ao)) out.push(`${path}.${key}: missing, expected ${JSON.stringify(eo[key])}`);
      else if (!(key in eo)) out.push(`${path}.${key}: unexpected ${JSON.stringify(ao[key])}`);
      else out.push(...jsonDifferences(ao[key], eo[key], `${path}.${key}`));
    }
    return out;
  }
  return a === e ? [] : [`${path}: ${JSON.stringify(a)} ≠ expected ${JSON.stringify(e)}`];
}

/** Counts the leaves of a JSON value, to show a comparison covered real content. */
export function jsonLeafCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + jsonLeafCount(v), 0);
  if (value !== null && typeof value === "object") return Object.values(value).reduce((n: number, v) => n + jsonLeafCount(v), 0);
  return 1;
}
