/**
 * ANSI styling and width arithmetic for the hand-rolled terminal UI.
 *
 * Every rendered line is a plain string with SGR escapes in it. Widths are
 * counted in terminal cells with escapes skipped, so a view can pad and clip
 * styled text without breaking the escapes apart.
 */

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
const SGR = /\x1b\[[0-9;?]*[A-Za-z]/g;

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

export function stripAnsi(text: string): string {
  return text.replace(SGR, "");
}

/**
 * Cells a code point occupies. East Asian wide ranges and most emoji take two;
 * combining marks take none. Good enough for names and paths; it avoids a
 * dependency on a full Unicode width table.
 */
function cellWidth(cp: number): number {
  if (cp < 0x300) return cp < 0x20 || cp === 0x7f ? 0 : 1;
  if (cp >= 0x300 && cp <= 0x36f) return 0;
  if (cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Visible width in cells, escapes excluded. */
export function visibleWidth(text: string): number {
  let width = 0;
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) width++;
    else {
      plain = false;
      break;
    }
  }
  if (plain) return width;
  width = 0;
  for (const ch of stripAnsi(text)) width += cellWidth(ch.codePointAt(0)!);
  return width;
}

/**
 * Clips styled text to `width` cells and pads it with spaces to exactly
 * `width`, keeping escapes intact. A style left open by the clip is closed.
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const w = visibleWidth(text);
  if (w === width) return text;
  if (w < width) return text + " ".repeat(width - w);
  let out = "";
  let used = 0;
  let open = false;
  for (let i = 0; i < text.length; ) {
    if (text.charCodeAt(i) === 0x1b) {
      SGR.lastIndex = i;
      const match = SGR.exec(text);
      if (match && match.index === i) {
        out += match[0];
        open = match[0] !== RESET;
        i += match[0].length;
        continue;
      }
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const cw = cellWidth(cp);
    if (used + cw > width) break;
    out += ch;
    used += cw;
    i += ch.length;
  }
  SGR.lastIndex = 0;
  if (open) out += RESET;
  return used < width ? out + " ".repeat(width - used) : out;
}

/** Clips plain text with an ellipsis when it is too long; never pads. */
export function ellipsize(text: string, width: number): string {
  if (width <= 0) return "";
  if (visibleWidth(text) <= width) return text;
  if (width === 1) return "…";
  return `${stripAnsi(fit(text, width - 1)).trimEnd()}…`;
}

/** Right-aligns plain text in a cell of `width`. */
export function padStart(text: string, width: number): string {
  const w = visibleWidth(text);
  return w >= width ? fit(text, width) : " ".repeat(width - w) + text;
}
