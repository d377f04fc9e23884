/**
 * Which code points must never reach a terminal, an XML file or a graph
 * description raw, and how they are shown instead. Target names, fields,
 * locations and trace lines are all untrusted: a raw ESC can retitle or clear
 * a terminal, C1 U+009B is a one-character CSI, bidi overrides reorder what
 * the reader sees, and lone surrogates or U+FFFE/U+FFFF make XML malformed.
 */

/** True for a code point that is shown as escape text rather than written. */
export function isUnsafeCodePoint(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true; // C0, DEL, C1
  if (cp < 0x061c) return false;
  return (
    cp === 0x061c || // arabic letter mark
    cp === 0x200e ||
    cp === 0x200f || // LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, bidi embeddings and overrides
    (cp >= 0x2066 && cp <= 0x2069) || // bidi isolates
    (cp >= 0xd800 && cp <= 0xdfff) || // lone surrogates (a paired one never reaches here as a code point)
    cp === 0xfffe ||
    cp === 0xffff
  );
}

const SHORT: Readonly<Record<number, string>> = { 9: "\\t", 10: "\\n", 13: "\\r" };

/** The visible stand-in for an unsafe code point: printable ASCII, in JavaScript escape syntax. */
export function escapeCodePoint(cp: number): string {
  const short = SHORT[cp];
  if (short) return short;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  return `\\u${cp.toString(16).padStart(4, "0")}`;
}

/** A quick test that lets plain text skip the slower paths. */
export function hasUnsafeText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
    if (c >= 0x061c && isUnsafeCodeUnit(text, i)) return true;
  }
  return false;
}

function isUnsafeCodeUnit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const prev = text.charCodeAt(i - 1);
    return !(prev >= 0xd800 && prev <= 0xdbff);
  }
  return isUnsafeCodePoint(c);
}
