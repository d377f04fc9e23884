/**
 * Writes frames to a terminal, rewriting only the rows that changed since the
 * previous frame. A frame is exactly `rows` lines, each exactly `columns`
 * cells wide, so a changed row can be overwritten in place without clearing.
 */
import { RESET, terminalSafe } from "./ansi.js";

export interface TerminalOutput {
  write(text: string): unknown;
}

export class ScreenWriter {
  #previous: string[] = [];
  #size = "";
  readonly #out: TerminalOutput;

  constructor(out: TerminalOutput) {
    this.#out = out;
  }

  /** Forget what is on screen, e.g. after a resize, so the next frame repaints all of it. */
  invalidate(): void {
    this.#previous = [];
  }

  /** Draws `lines`; returns how many rows were rewritten (tests and benchmarks read it). */
  draw(lines: readonly string[], columns: number, rows: number): number {
    const size = `${columns}x${rows}`;
    let text = "";
    if (size !== this.#size) {
      this.#size = size;
      this.#previous = [];
      text += "\x1b[2J";
    }
    let changed = 0;
    const drawn: string[] = [];
    for (let row = 0; row < rows; row++) {
      // Views fit every cell already; this is the last guard that no control but SGR reaches the terminal.
      const line = terminalSafe(lines[row] ?? "");
      drawn.push(line);
      if (this.#previous[row] === line) continue;
      changed++;
      // Move, reset attributes, write; the line is already padded to full width.
      text += `\x1b[${row + 1};1H${RESET}${line}${RESET}`;
    }
    this.#previous = drawn;
    if (text) this.#out.write(text);
    return changed;
  }
}
