/**
 * Driving a terminal program under tmux so a test can read its screen: start
 * it detached at a fixed size, send keys, and poll `capture-pane` until the
 * screen shows what the test expects.
 *
 * Each session gets its own tmux server, on a socket in a private temporary
 * directory (`-S`), so tests never touch a developer's tmux and cleanup can
 * kill the whole server and remove its socket without side effects.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./wait-for.js";

export interface TmuxStartOptions {
  readonly width?: number;
  readonly height?: number;
  /** Added to the program's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

function tmux(socket: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("tmux", ["-S", socket, ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`tmux ${args[0]} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Single-quotes a word for /bin/sh. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export class TmuxSession {
  readonly name: string;
  readonly #socketDir: string;
  readonly #socket: string;
  #closed = false;

  private constructor(name: string, socketDir: string) {
    this.name = name;
    this.#socketDir = socketDir;
    this.#socket = join(socketDir, "tmux.sock");
  }

  /**
   * Starts `command args…` in a new detached session. When the program exits
   * the pane stays open and shows its exit status, so a crash is visible in
   * the captured screen instead of the session silently vanishing.
   */
  static async start(command: string, args: readonly string[] = [], options: TmuxStartOptions = {}): Promise<TmuxSession> {
    const id = `insight-test-${process.pid}-${randomBytes(4).toString("hex")}`;
    const envWords = Object.entries(options.env ?? {}).map(([k, v]) => shellQuote(`${k}=${v}`));
    const program = ["env", ...envWords, ...[command, ...args].map(shellQuote)].join(" ");
    const script = `${program}; echo "[process exited with status $?]"; exec sleep 86400`;
    const tmuxArgs = ["new-session", "-d", "-s", id, "-x", String(options.width ?? 160), "-y", String(options.height ?? 50)];
    if (options.cwd) tmuxArgs.push("-c", options.cwd);
    tmuxArgs.push("/bin/sh", "-c", script);
    const session = new TmuxSession(id, mkdtempSync(join(tmpdir(), "insight-tmux-")));
    try {
      await tmux(session.#socket, tmuxArgs);
    } catch (error) {
      await session.kill();
      throw error;
    }
    return session;
  }

  /** Sends keys as tmux names them (e.g. "q", "Enter", "C-c"). */
  async sendKeys(...keys: string[]): Promise<void> {
    await tmux(this.#socket, ["send-keys", "-t", this.name, ...keys]);
  }

  /** Resizes the window, as a user dragging the terminal would; the program gets SIGWINCH. */
  async resize(width: number, height: number): Promise<void> {
    await tmux(this.#socket, ["resize-window", "-t", this.name, "-x", String(width), "-y", String(height)]);
  }

  /** The visible screen as plain text, one line per row. */
  async capture(): Promise<string> {
    return tmux(this.#socket, ["capture-pane", "-p", "-t", this.name]);
  }

  /**
   * Polls the screen until `predicate` accepts it; resolves with that screen.
   * On timeout the error carries the last screen seen.
   */
  async waitForScreen(predicate: (screen: string) => boolean, options: { timeoutMs?: number; description?: string } = {}): Promise<string> {
    let last = "";
    return waitFor(
      async () => {
        last = await this.capture();
        return predicate(last) ? last : undefined;
      },
      {
        timeoutMs: options.timeoutMs ?? 20_000,
        intervalMs: 200,
        description: options.description ?? "the expected screen",
        detail: () => `last screen of tmux session ${this.name}:\n${last}`,
      },
    );
  }

  /** Ends the session and its private tmux server. Safe to call more than once. */
  async kill(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await tmux(this.#socket, ["kill-server"]).catch(() => {});
    rmSync(this.#socketDir, { recursive: true, force: true });
  }
}
