/**
 * The one sanitiser for untrusted text (task and resource names, fields,
 * locations, reasons, attribute values, trace lines). Every output goes
 * through it:
 * - {@link safeText}: one terminal line. Unsafe code points become visible
 *   escape text (`\x1b`, `\u202e`), the width is capped with an ellipsis.
 * - {@link xmlText}, {@link dotText}, {@link mermaidText}: the same, then
 *   escaped for an SVG/XML text or attribute, a quoted DOT string, a quoted
 *   Mermaid label.
 * - {@link boundText}: the full text for `--json` and the web console, with
 *   nothing changed but a bound on its length.
 */
import { escapeCodePoint, hasUnsafeText, isUnsafeCodePoint } from "./control-chars.js";
import { graphemes, graphemeWidth } from "./display-width.js";

/** Default cap, in terminal cells, for one field (a name, a location). */
export const FIELD_WIDTH = 80;
/** Cap for longer free text: reasons, summaries, field lists, trace lines. */
export const LONG_FIELD_WIDTH = 240;
/** Bound, in UTF-16 code units, of one string kept "in full" (JSON, the web console). */
export const FULL_TEXT_LIMIT = 4096;

export const ELLIPSIS = "…";

function isPlainAscii(text: string, max: number): boolean {
  if (text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/**
 * `text` with every unsafe code point replaced by its escape text and nothing
 * else changed (no cap): for a renderer that measures and cuts by itself.
 */
export function escapeUnsafe(text: string): string {
  if (!hasUnsafeText(text)) return text;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isUnsafeCodePoint(cp) ? escapeCodePoint(cp) : ch;
  }
  return out;
}

/** One cluster as written: unchanged when safe, else each unsafe code point as escape text. */
function visibleCluster(cluster: string): string {
  return escapeUnsafe(cluster);
}

/**
 * `text` made safe for one terminal line and capped at `maxWidth` cells
 * (default {@link FIELD_WIDTH}); a cut ends in `…`. Width is counted per
 * grapheme cluster, so a cut never splits a CJK character or an emoji
 * sequence and the result never exceeds `maxWidth`. Work is bounded by
 * `maxWidth`, not by the length of `text` (a 1 MB name costs no more than a
 * short one).
 */
export function safeText(text: string, maxWidth: number = FIELD_WIDTH): string {
  if (maxWidth <= 0) return "";
  if (isPlainAscii(text, maxWidth)) return text;
  // Every cluster takes at least one code unit, and nothing past this many
  // code units could be shown, except clusters of zero width: bound those too.
  const window = Math.min(text.length, maxWidth * 8 + 64);
  let scan = text.slice(0, window);
  const last = scan.charCodeAt(scan.length - 1);
  if (window < text.length && last >= 0xd800 && last <= 0xdbff) scan = scan.slice(0, -1);
  const cut = scan.length < text.length;
  let out = "";
  let used = 0;
  // Width of the text kept so far at the point where an ellipsis still fits.
  let fitsWithEllipsis = 0;
  for (const cluster of graphemes(scan)) {
    const shown = visibleCluster(cluster);
    const width = shown === cluster ? graphemeWidth(cluster) : shown.length;
    if (used + width > maxWidth) return `${out.slice(0, fitsWithEllipsis)}${ELLIPSIS}`;
    out += shown;
    used += width;
    if (used <= maxWidth - 1) fitsWithEllipsis = out.length;
  }
  if (!cut) return out;
  return used <= maxWidth - 1 ? `${out}${ELLIPSIS}` : `${out.slice(0, fitsWithEllipsis)}${ELLIPSIS}`;
}

/**
 * `text` unchanged when at most `limit` UTF-16 code units (default
 * {@link FULL_TEXT_LIMIT}), else its first `limit` units (never half a
 * surrogate pair) and a marker saying how much was left out. For outputs that
 * keep the full text (`--json`, the web console): escaping is theirs (JSON,
 * the DOM's textContent), but a 1 MB name must not be copied into every
 * event.
 */
export function boundText(text: string, limit: number = FULL_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  let end = limit;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${ELLIPSIS} [${text.length - end} more characters not shown]`;
}

/** A JSON.stringify replacer that bounds every string with {@link boundText} (and writes bigints as strings). */
export function boundedJsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "string") return boundText(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Escapes XML's five special characters (for text that is already safe). */
export function escapeXmlChars(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Untrusted text for an SVG/XML text node or attribute value: well-formed, escaped, capped. */
export function xmlText(text: string, maxWidth: number = FIELD_WIDTH): string {
  return escapeXmlChars(safeText(text, maxWidth));
}

/** Untrusted text for the inside of a double-quoted DOT string, capped. */
export function dotText(text: string, maxWidth: number = FIELD_WIDTH): string {
  // Backslashes are doubled because DOT gives \n, \l, \N... meaning inside labels.
  return safeText(text, maxWidth).replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/**
 * Untrusted text for the inside of a double-quoted Mermaid label, capped.
 * Mermaid's entity codes replace the characters that could end the label or
 * be read as markup or markdown.
 */
export function mermaidText(text: string, maxWidth: number = FIELD_WIDTH): string {
  return safeText(text, maxWidth).replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/`/g, "#96;");
}
