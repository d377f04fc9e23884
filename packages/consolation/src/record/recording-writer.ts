/**
 * Appends to a recording. Each message is written as one complete line in a
 * single write, so a crash can only leave the last line short, which readers
 * report and skip.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import type { State, Update } from "@async-insight/protocol";
import { headerLine, restartLine, stateLine, updateLine } from "@async-insight/protocol/recording";
import { nowNs } from "../targets/live-watch.js";

export class RecordingWriter {
  readonly #stream: WriteStream;
  #messages = 0;
  #restarts = 0;
  #failure: Error | undefined;

  constructor(path: string, target: string | undefined, producer = "consolation") {
    this.#stream = createWriteStream(path, { flags: "w" });
    this.#stream.on("error", (error) => (this.#failure = error));
    this.#stream.write(headerLine(target, producer));
  }

  get messages(): number {
    return this.#messages;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  update(update: Update, atNs = nowNs()): void {
    this.#messages++;
    this.#stream.write(updateLine(update, atNs));
  }

  state(state: State, atNs = nowNs()): void {
    this.#messages++;
    this.#stream.write(stateLine(state, atNs));
  }

  /** The target restarted: what follows belongs to a new process. */
  restart(atNs = nowNs()): void {
    this.#restarts++;
    this.#stream.write(restartLine(atNs));
  }

  get restarts(): number {
    return this.#restarts;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#stream.end((error?: Error | null) => ((error ?? this.#failure) ? reject(error ?? this.#failure) : resolve())),
    );
  }
}
