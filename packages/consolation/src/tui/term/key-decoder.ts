/**
 * Turns raw-mode stdin bytes into key presses. Terminals send arrows and
 * friends as escape sequences (CSI `ESC [ A`, or SS3 `ESC O A` in application
 * mode); a lone ESC byte is the Escape key itself.
 */

export type KeyName = "up" | "down" | "left" | "right" | "enter" | "escape" | "backspace" | "tab" | "pageup" | "pagedown" | "home" | "end" | "char";

export interface Key {
  readonly name: KeyName;
  /** The character typed, for `char` keys. */
  readonly char?: string;
  readonly ctrl?: boolean;
}

const CSI_FINAL: Readonly<Record<string, KeyName>> = { A: "up", B: "down", C: "right", D: "left", H: "home", F: "end" };
const CSI_TILDE: Readonly<Record<string, KeyName>> = { "1": "home", "4": "end", "5": "pageup", "6": "pagedown", "7": "home", "8": "end" };

export function decodeKeys(input: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === "\x1b") {
      const next = input[i + 1];
      if (next === "[" || next === "O") {
        // Parameters, then one final byte in @..~.
        let j = i + 2;
        while (j < input.length && /[0-9;]/.test(input[j]!)) j++;
        const final = input[j];
        const params = input.slice(i + 2, j);
        i = j + 1;
        if (final === "~") {
          const name = CSI_TILDE[params.split(";")[0] ?? ""];
          if (name) keys.push({ name });
        } else if (final !== undefined && CSI_FINAL[final]) {
          keys.push({ name: CSI_FINAL[final]! });
        }
        continue;
      }
      if (next === "\x1b") {
        keys.push({ name: "escape" });
        i += 1;
        continue;
      }
      // ESC alone is Escape; ESC followed by a character is Alt+char, read as Escape then the char.
      keys.push({ name: "escape" });
      i += 1;
      continue;
    }
    i += 1;
    if (c === "\r" || c === "\n") keys.push({ name: "enter" });
    else if (c === "\x7f" || c === "\b") keys.push({ name: "backspace" });
    else if (c === "\t") keys.push({ name: "tab" });
    else if (c < " ") keys.push({ name: "char", char: String.fromCharCode(c.charCodeAt(0) + 96), ctrl: true });
    else {
      // Keep surrogate pairs together.
      const cp = input.codePointAt(i - 1)!;
      const ch = String.fromCodePoint(cp);
      if (ch.length === 2) i += 1;
      keys.push({ name: "char", char: ch });
    }
  }
  return keys;
}
