/**
 * Finding and running the Rust interop peers (interop/): the fixture server,
 * the probe client, the deadlock app, the tokio accuracy scenarios, and the
 * real tokio-console.
 *
 * Binary locations mirror scripts/lib/paths.mjs: `npm test` passes them in
 * INSIGHT_RUST_BIN_DIR / INSIGHT_TOKIO_CONSOLE, and a bare `npx vitest run`
 * falls back to the same cache directories the build script fills.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./wait-for.js";

const cacheDir = process.env.INSIGHT_CACHE_DIR ?? join(homedir(), ".cache", "insight");

export const rustBinDir = process.env.INSIGHT_RUST_BIN_DIR ?? join(process.env.CARGO_TARGET_DIR ?? join(cacheDir, "cargo-target"), "release");
export const tokioConsoleBin = process.env.INSIGHT_TOKIO_CONSOLE ?? join(cacheDir, "cargo-root", "bin", "tokio-console");

export type RustPeerName = "fixture-server" | "probe-client" | "deadlock-app" | "accuracy-tokio";

/** Absolute path of a built peer; throws with a build hint when it is missing. */
export function rustBin(name: RustPeerName): string {
  const path = join(rustBinDir, name);
  if (!existsSync(path)) {
    throw new Error(
      `${name} is not built at ${path}; run \`npm test\` once, or ` +
        "`cd interop && CARGO_TARGET_DIR=~/.cache/insight/cargo-target cargo build --release --locked`",
    );
  }
  return path;
}

/** Keeps only the tail of a peer's output so failure messages stay readable. */
function tail(text: string, max = 4_000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a peer to completion; rejects with its exit status and stderr on failure. */
export function runPeer(command: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...options.env } },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(" ")} failed (${error.message.split("\n")[0]})\nstderr:\n${tail(stderr)}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** A long-running peer process with its output collected as it arrives. */
export class Peer {
  readonly child: ChildProcess;
  readonly label: string;
  #stdout = "";
  #stderr = "";
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.label = [command.split("/").pop(), ...args].join(" ");
    this.child = spawn(command, [...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (this.#stdout += chunk));
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.#stderr += chunk));
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.#exit = { code, signal };
        resolve();
      });
      this.child.once("error", (error) => {
        this.#stderr += `\n[spawn error] ${error.message}`;
        this.#exit ??= { code: null, signal: null };
        resolve();
      });
    });
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** A paragraph for failure messages: what ran, how it ended, what it said on stderr. */
  describe(): string {
    const state = this.#exit ? `exited (code ${this.#exit.code}, signal ${this.#exit.signal})` : "still running";
    return `peer \`${this.label}\` ${state}\n--- stderr ---\n${tail(this.#stderr) || "(empty)"}\n--------------`;
  }

  /** Resolves with the first match of `pattern` in stdout; fails early if the peer exits. */
  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return waitFor(
      () => {
        const match = this.#stdout.match(pattern);
        if (match) return match;
        if (!this.running) throw new Error(`exited before printing ${pattern}`);
        return undefined;
      },
      { timeoutMs, description: `${pattern} on stdout of ${this.label}`, detail: () => this.describe() },
    );
  }

  /** Waits until something accepts TCP connections on `port`, as long as this peer lives. */
  async waitForPort(port: number, host = "127.0.0.1", timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => {
        if (!this.running) throw new Error("exited before listening");
        return canConnect(host, port);
      },
      { timeoutMs, intervalMs: 100, description: `${this.label} to listen on ${host}:${port}`, detail: () => this.describe() },
    );
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if the peer lingers. Safe to call more than once. */
  async stop(graceMs = 2_000): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts a peer. Pair every call with `stop()` in an `afterAll`. */
export function startPeer(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Peer {
  return new Peer(command, args, env);
}

/**
 * Starts `fixture-server serve` on a port it picks itself (no race over a
 * pre-chosen port) and resolves once it prints the bound address.
 */
export async function startFixtureServer(): Promise<{ peer: Peer; url: string; port: number }> {
  const peer = startPeer(rustBin("fixture-server"), ["serve", "127.0.0.1:0"]);
  try {
    const [, host, port] = await peer.waitForOutput(/listening (\S+):(\d+)/);
    return { peer, url: `http://${host}:${port}`, port: Number(port) };
  } catch (error) {
    await peer.stop();
    throw error;
  }
}
