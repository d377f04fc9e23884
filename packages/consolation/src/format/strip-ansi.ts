/**
 * Removes ANSI SGR sequences (colours and attributes): trace files come
 * coloured (ari-subscriber colours everything), and the terminal views
 * measure and clip text without its styles.
 */
const SGR = /\x1b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.includes("\x1b") ? text.replace(SGR, "") : text;
}
