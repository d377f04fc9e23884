/** What "no raw control bytes" and "within width bounds" mean for every output the hostile suite reads. */
import { expect } from "vitest";
import { displayWidth } from "@async-insight/engine";

/** C0 (newline aside), DEL, C1, bidi controls and marks, line/paragraph separators. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** The first raw control in `text` with some context, for a readable failure. */
export function firstRaw(text: string): string | undefined {
  const m = RAW_CONTROL.exec(text);
  return m
    ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}`
    : undefined;
}

/** No raw control anywhere; every line at most `maxWidth` cells; the whole at most `maxBytes`. */
export function expectClean(label: string, text: string, bounds: { maxWidth: number; maxBytes: number }): void {
  expect(firstRaw(text), label).toBeUndefined();
  expect(Buffer.byteLength(text), `${label}: size`).toBeLessThanOrEqual(bounds.maxBytes);
  const widest = text.split("\n").reduce((max, line) => Math.max(max, displayWidth(line)), 0);
  expect(widest, `${label}: widest line`).toBeLessThanOrEqual(bounds.maxWidth);
}
