/**
 * Keys for the live-span indexes. Span ids arrive as bigint (in messages)
 * and as decimal strings (the stats maps' keys). Every id a double holds
 * exactly (up to 2^53) becomes a plain number: a small one (tracing's
 * registry hands out slab indexes) costs no heap object at all, and a large
 * one (tokio's resource and op spans, 16 digits) a 16-byte number instead of
 * a 32-byte string. Only ids past 2^53 stay strings. Both paths apply the
 * same cut-off, so a span always maps to the same key.
 */
export type SpanKey = number | string;

const LIMIT = 2n ** 53n;
/** 2^53 in decimal: a 16-digit key is a number when it compares at or below it. */
const LIMIT_TEXT = String(LIMIT);

export function spanKeyOf(id: bigint): SpanKey {
  return id <= LIMIT ? Number(id) : String(id);
}

/** `key` is a map key as the wire writes it: decimal digits, no sign, no leading zeros. */
export function spanKeyOfText(key: string): SpanKey {
  return key.length < LIMIT_TEXT.length || (key.length === LIMIT_TEXT.length && key <= LIMIT_TEXT) ? +key : key;
}
