/**
 * Field lists as tracing's text formatters print them: `key=value` pairs
 * where strings are Debug-quoted, and `%`-formatted values are bare and may
 * contain brackets (type names such as `Foo<A, B>`), so bare values are read
 * up to a separator at bracket depth zero.
 */

export type TextValue = string | number | boolean;

export interface FieldParse {
  readonly fields: Record<string, TextValue>;
  /** Index just after the last pair consumed. */
  readonly end: number;
}

const KEY = /[A-Za-z_][\w.]*(?==)/y;
const OPEN = "<([{";
const CLOSE = ">)]}";

/** Converts a bare token: booleans and integers that fit a double exactly become primitives. */
export function bareValue(text: string): TextValue {
  if (text === "true") return true;
  if (text === "false") return false;
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    // Span ids are u64; keep the digits when a double would round them.
    return Number.isSafeInteger(n) ? n : text;
  }
  if (/^-?\d+\.\d+$/.test(text)) return Number(text);
  return text;
}

/** Reads a Debug-quoted string starting at `start` (on the quote); returns [value, index after]. */
export function readQuoted(text: string, start: number): [string, number] {
  let out = "";
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      const next = text[i + 1]!;
      out += next === "n" ? "\n" : next === "t" ? "\t" : next === "r" ? "\r" : next === "0" ? "\0" : next;
      i += 2;
      continue;
    }
    if (c === '"') return [out, i + 1];
    out += c;
    i++;
  }
  return [out, i];
}

/**
 * Parses `k=v<sep>k=v…` from `start`, stopping at `stopChar` (at depth zero) or at
 * the first text that is not a pair. `sep` is ", " for ari-subscriber and " " for fmt.
 */
export function parseFieldList(text: string, start: number, sep: string, stopChar?: string): FieldParse {
  const fields: Record<string, TextValue> = {};
  let i = start;
  let end = start;
  while (i < text.length) {
    if (stopChar !== undefined && text[i] === stopChar) break;
    KEY.lastIndex = i;
    const key = KEY.exec(text);
    if (!key) break;
    i += key[0].length + 1;
    let value: TextValue;
    if (text[i] === '"') {
      const [s, next] = readQuoted(text, i);
      value = s;
      i = next;
    } else {
      let depth = 0;
      const from = i;
      while (i < text.length) {
        const c = text[i]!;
        // A bare value ends at the separator, the closing brace, or the
        // space before a trailing message, all outside brackets.
        if (depth === 0 && (c === stopChar || c === " " || text.startsWith(sep, i))) break;
        if (OPEN.includes(c)) depth++;
        else if (CLOSE.includes(c) && depth > 0) depth--;
        i++;
      }
      value = bareValue(text.slice(from, i));
    }
    fields[key[0]] = value;
    end = i;
    if (text.startsWith(sep, i)) {
      const after = i + sep.length;
      KEY.lastIndex = after;
      if (!KEY.test(text)) break;
      i = after;
    } else {
      break;
    }
  }
  return { fields, end };
}
