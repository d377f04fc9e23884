/**
 * insight recording itself to a file (`recordPath` / INSIGHT_RECORD_PATH,
 * like console-subscriber's TOKIO_CONSOLE_RECORD_PATH), in the same format as
 * `consolation record`, so `consolation replay` and `check` read either.
 *
 * Writes go through an fs stream (libuv's thread pool), never sync calls on
 * the app's thread. Lines waiting for the disk are capped: past the cap an
 * update is dropped and counted rather than buffered without limit, and since
 * every update carries full stats for what changed, the next one that fits
 * repairs the picture. A failure (bad path, full disk) stops the recording
 * and is reported once; it never throws into the app.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import type { Update } from "@async-insight/protocol";
import { headerLine, updateLine } from "@async-insight/protocol/recording";
import { debug } from "./debug.js";

/** Bytes waiting for the disk before updates are dropped. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;

export interface UpdateSink {
  push(update: Update): void;
}

export class FileRecorder implements UpdateSink {
  readonly path: string;
  #stream: WriteStream | undefined;
  #failed = false;
  #dropped = 0;
  #written = 0;
  readonly #onFailure: (message: string) => void;

  constructor(path: string, onFailure: (message: string) => void) {
    this.path = path;
    this.#onFailure = onFailure;
    try {
      const stream = createWriteStream(path, { flags: "w" });
      stream.on("error", (error) => this.#fail(error));
      stream.write(headerLine(undefined, "insight"));
      this.#stream = stream;
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Updates written (or queued for writing) so far. */
  get written(): number {
    return this.#written;
  }

  /** Updates dropped because the disk fell behind. */
  get dropped(): number {
    return this.#dropped;
  }

  get failed(): boolean {
    return this.#failed;
  }

  push(update: Update): void {
    const stream = this.#stream;
    if (!stream || this.#failed) return;
    if (stream.writableLength > MAX_PENDING_BYTES) {
      this.#dropped++;
      debug("recording to %s: the disk is behind; dropped an update (%d so far)", this.path, this.#dropped);
      return;
    }
    try {
      stream.write(updateLine(update, BigInt(Date.now()) * 1_000_000n));
      this.#written++;
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Flushes and closes; resolves even when the recording failed. */
  close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    if (!stream || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once("close", () => resolve());
      stream.end();
    });
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#stream?.destroy();
    const why = error instanceof Error ? error.message : String(error);
    this.#onFailure(`insight: cannot record to ${this.path} (${why}); the app carries on without recording.`);
  }
}
