/**
 * ANSI styling and width arithmetic for the hand-rolled terminal UI.
 *
 * Every rendered line is a plain string with SGR escapes in it. Widths are
 * counted in terminal cells with escapes skipped, so a view can pad and clip
 * styled text without breaking the escapes apart.
 */
import { displayWidth, escapeUnsafe, graphemes, graphemeWidth } from "@async-insight/engine";
import { stripAnsi } from "../../format/strip-ansi.js";

export interface Style {
  readonly fg?: Color;
  readonly bg?: Color;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
  readonly underline?: boolean;
}

/** 256-colour palette indexes, picked to read on both dark and light themes. */
export const COLORS = {
  black: 0,
  red: 1,
  green: 2,
  yellow: 3,
  blue: 4,
  magenta: 5,
  cyan: 6,
  white: 7,
  gray: 8,
  brightRed: 9,
  brightWhite: 15,
  darkRed: 52,
  darkBlue: 17,
} as const;
export type Color = (typeof COLORS)[keyof typeof COLORS];

export const RESET = "\x1b[0m";
/**
 * Only SGR (colours and attributes) is ever kept: any other escape sequence
 * in a line came from untrusted text (a task name, a field) and is shown as
 * escape text instead of reaching the terminal.
 */
const SGR_SPLIT = /(\x1b\[[0-9;]*m)/;

function sgr(style: Style): string {
  const codes: string[] = [];
  if (style.bold) codes.push("1");
  if (style.dim) codes.push("2");
  if (style.underline) codes.push("4");
  if (style.inverse) codes.push("7");
  if (style.fg !== undefined) codes.push(`38;5;${style.fg}`);
  if (style.bg !== undefined) codes.push(`48;5;${style.bg}`);
  return codes.length ? `\x1b[${codes.join(";")}m` : "";
}

/** Wraps text in a style; nested styles are not supported, so views compose spans side by side. */
export function paint(text: string, style: Style): string {
  const open = sgr(style);
  return open && text ? `${open}${text}${RESET}` : text;
}

function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/**
 * The line as the terminal may receive it: SGR kept, every other control
 * (ESC of any other sequence, BEL, CR, C1, bidi overrides) as escape text.
 * {@link fit} already does this; the screen writer applies it to whole lines
 * as the last guard.
 */
export function terminalSafe(text: string): string {
  if (isPlainAscii(text)) return text;
  const parts = text.split(SGR_SPLIT);
  for (let i = 0; i < parts.length; i += 2) parts[i] = escapeUnsafe(parts[i]!);
  return parts.join("");
}

/**
 * Visible width in cells, SGR excluded, counted per grapheme cluster (CJK and
 * emoji take two cells); unsafe characters count as the escape text that
 * {@link fit} shows for them.
 */
export function visibleWidth(text: string): number {
  if (isPlainAscii(text)) return text.length;
  return displayWidth(escapeUnsafe(stripAnsi(text)));
}

/**
 * Clips styled text to `width` cells and pads it with spaces to exactly
 * `width`, keeping SGR escapes intact and never splitting a cluster. A style
 * left open by the clip is closed. Unsafe characters come out as escape text.
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const w = visibleWidth(text);
  if (w === width) return terminalSafe(text);
  if (w < width) return terminalSafe(text) + " ".repeat(width - w);
  let out = "";
  let used = 0;
  let open = false;
  const parts = text.split(SGR_SPLIT);
  outer: for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 1) {
      out += part;
      open = part !== RESET;
      continue;
    }
    for (const cluster of graphemes(escapeUnsafe(part))) {
      const cw = graphemeWidth(cluster);
      if (used + cw > width) break outer;
      out += cluster;
      used += cw;
    }
  }
  if (open) out += RESET;
  return used < width ? out + " ".repeat(width - used) : out;
}

/** Clips plain text with an ellipsis when it is too long; never pads. */
export function ellipsize(text: string, width: number): string {
  if (width <= 0) return "";
  if (visibleWidth(text) <= width) return terminalSafe(text);
  if (width === 1) return "…";
  return `${stripAnsi(fit(text, width - 1)).trimEnd()}…`;
}

/** Right-aligns plain text in a cell of `width`. */
export function padStart(text: string, width: number): string {
  const w = visibleWidth(text);
  return w >= width ? fit(text, width) : " ".repeat(width - w) + terminalSafe(text);
}
