/**
 * Owns the real terminal while the UI runs: alternate screen, hidden cursor,
 * raw keyboard input. Whatever ends the program (q, Ctrl-C, SIGTERM, a crash)
 * must hand the terminal back in the state it was found, or the user's shell
 * is left without echo on a blank screen.
 */
import type { ReadStream, WriteStream } from "node:tty";

const ENTER = "\x1b[?1049h\x1b[?25l\x1b[2J";
const LEAVE = "\x1b[0m\x1b[?25h\x1b[?1049l";

export interface TerminalSession {
  readonly columns: () => number;
  readonly rows: () => number;
  write(text: string): void;
  onKeys(listener: (data: string) => void): void;
  onResize(listener: () => void): void;
  /** Restores the terminal; safe to call more than once. */
  restore(): void;
}

export function openTerminal(input: ReadStream, output: WriteStream, onExitSignal: () => void): TerminalSession {
  let restored = false;
  const wasRaw = input.isRaw;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    process.off("SIGHUP", onSignal);
    process.off("exit", restore);
    process.off("uncaughtException", onCrash);
    try {
      input.setRawMode(wasRaw);
    } catch {
      // stdin may already be gone (terminal closed); nothing left to restore.
    }
    input.pause();
    output.write(LEAVE);
  };
  const onSignal = () => onExitSignal();
  const onCrash = (error: unknown) => {
    restore();
    process.stderr.write(`consolation: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("SIGHUP", onSignal);
  process.on("exit", restore);
  process.on("uncaughtException", onCrash);

  input.setRawMode(true);
  input.setEncoding("utf8");
  input.resume();
  output.write(ENTER);

  return {
    columns: () => output.columns || 80,
    rows: () => output.rows || 24,
    write: (text) => void output.write(text),
    onKeys: (listener) => void input.on("data", (data: string | Buffer) => listener(typeof data === "string" ? data : data.toString("utf8"))),
    onResize: (listener) => void output.on("resize", listener),
    restore,
  };
}
