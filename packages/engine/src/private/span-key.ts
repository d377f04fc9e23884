/**
 * Keys for the live-span indexes. Span ids arrive as bigint (in messages)
 * and as decimal strings (the stats maps' keys). Small ones, the common case
 * (tracing's registry hands out slab indexes), become plain numbers: no heap
 * object per task and faster lookups. Anything of 16+ digits stays a string.
 * Both paths apply the same cut-off so a span always maps to the same key.
 */
export type SpanKey = number | string;

const LIMIT = 1_000_000_000_000_000n; // 10^15: at most 15 digits

export function spanKeyOf(id: bigint): SpanKey {
  return id < LIMIT ? Number(id) : String(id);
}

export function spanKeyOfText(key: string): SpanKey {
  return key.length <= 15 ? +key : key;
}
