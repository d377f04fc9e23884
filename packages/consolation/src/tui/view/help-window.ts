/** Draws the help text as a bordered, scrollable window over the current screen. */
import { fit, paint } from "../term/ansi.js";

/** Wraps a help line at word boundaries, keeping its indentation on continuation lines. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = `${/^\s*/.exec(line)![0]}  `;
  const out: string[] = [];
  let current = "";
  for (const word of line.trimStart().split(" ")) {
    const prefix = out.length === 0 && current === "" ? /^\s*/.exec(line)![0] : current === "" ? indent : "";
    const candidate = current === "" ? prefix + word : `${current} ${word}`;
    if (candidate.length > width && current !== "") {
      out.push(current);
      current = indent + word;
    } else {
      current = candidate;
    }
  }
  if (current) out.push(current);
  return out;
}

export function overlayHelp(
  base: readonly string[],
  title: string,
  raw: readonly string[],
  scroll: number,
  width: number,
  top: number,
  bottom: number,
): string[] {
  const lines = base.slice();
  const boxWidth = Math.min(width, Math.max(40, Math.min(96, width - 4)));
  const left = Math.max(0, Math.floor((width - boxWidth) / 2));
  const text = raw.flatMap((line) => wrapLine(line, boxWidth - 4));
  const boxHeight = Math.max(4, Math.min(text.length + 3, bottom - top));
  const inner = boxWidth - 4;
  const room = boxHeight - 3;
  const start = Math.max(0, Math.min(scroll, text.length - room));
  const more = start + room < text.length ? " ↓ more" : "";
  const rows = [
    `┌─ ${title} ${"─".repeat(Math.max(0, boxWidth - title.length - 5))}┐`,
    ...Array.from({ length: room }, (_, i) => `│ ${fit(text[start + i] ?? "", inner)} │`),
    (() => {
      const label = `─ ↑/↓ scroll · Esc closes${more} `;
      return `└${label}${"─".repeat(Math.max(0, boxWidth - 2 - label.length))}┘`;
    })(),
  ];
  rows.forEach((row, i) => {
    const y = top + i;
    if (y >= lines.length) return;
    const rest = " ".repeat(Math.max(0, width - left - boxWidth));
    lines[y] = `${" ".repeat(left)}${paint(row, { bg: 17, fg: 15 })}${rest}`;
  });
  return lines;
}
