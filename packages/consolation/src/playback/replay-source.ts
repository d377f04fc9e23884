/**
 * Plays a recording or trace back as the Updates a live target would send,
 * with play, pause, step and seek. Consumers (the TUI, `replay --report`,
 * `check FILE`) subscribe and feed what they get into the engine's store, so
 * replayed data goes through exactly the path live data does.
 *
 * Frames are kept in a {@link FrameLog} (encoded, spilled to a temporary
 * file, with a bounded index) so seeking backwards is possible in memory that
 * does not grow with the file: a backwards seek sends `reset` and then every
 * frame up to the new position again. A
 * recording that marks a restart sends `reset` before the new process's first
 * frame, so the two processes are never merged into one state.
 */
import type { Update } from "@async-insight/protocol";
import type { ReadProblem, TraceFormat } from "../trace-formats/runtime-event.js";
import { MemoryFrameLog, SpillFrameLog, type FrameLog, type ReplayFrame } from "./frame-log.js";
import { readUpdatesFromFile } from "./read-updates.js";

export type { ReplayFrame } from "./frame-log.js";

/** Problems kept for display; past this only the count grows (a file of garbage must not fill memory with messages). */
export const MAX_KEPT_PROBLEMS = 1000;

export interface ReplayListener {
  /** Forget everything: playback restarts from the first frame, or the recorded process restarted. */
  reset(): void;
  update(update: Update, frame: ReplayFrame, index: number): void;
  /** Playing stopped at the end, or the position changed. */
  position?(index: number, atNs: bigint | undefined): void;
}

export class ReplaySource {
  readonly #listeners = new Set<ReplayListener>();
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  #speed = 1;

  private constructor(
    readonly frames: FrameLog,
    readonly problems: readonly ReadProblem[],
    readonly format: TraceFormat | undefined,
    /** Problems found, including those past MAX_KEPT_PROBLEMS. */
    readonly problemCount: number = problems.length,
  ) {}

  static async open(path: string, options: { intervalNs?: bigint } = {}): Promise<ReplaySource> {
    const frames = new SpillFrameLog();
    const problems: ReadProblem[] = [];
    let problemCount = 0;
    let restart = false;
    try {
      const result = await readUpdatesFromFile(
        path,
        {
          update: (update, atNs) => {
            // A restart before any update changes nothing: there is no earlier process to forget.
            frames.append(update, atNs, restart && frames.length > 0);
            restart = false;
          },
          problem: (p) => {
            if (problemCount++ < MAX_KEPT_PROBLEMS) problems.push(p);
          },
          restart: () => (restart = true),
          updateLine: (text, atNs) => {
            frames.appendLine(text, atNs, restart && frames.length > 0);
            restart = false;
          },
        },
        options,
      );
      return new ReplaySource(frames, problems, result.format, problemCount);
    } catch (error) {
      frames.close();
      throw error;
    }
  }

  static fromFrames(frames: readonly ReplayFrame[]): ReplaySource {
    return new ReplaySource(new MemoryFrameLog(frames), [], undefined);
  }

  get startNs(): bigint | undefined {
    return this.frames.atNs(0);
  }

  get endNs(): bigint | undefined {
    return this.frames.atNs(this.frames.length - 1);
  }

  /** How many processes the file holds: one more than its restarts. */
  get processes(): number {
    return 1 + this.frames.restarts.length;
  }

  /** Which process (1-based) frame `index - 1`, the last one delivered at position `index`, belongs to. */
  processAt(index: number): number {
    return 1 + this.frames.restarts.filter((r) => r < index).length;
  }

  /** Releases the spilled frames. */
  close(): void {
    this.pause();
    this.frames.close();
  }

  /** Index of the next frame to deliver. */
  get position(): number {
    return this.#next;
  }

  get playing(): boolean {
    return this.#timer !== undefined;
  }

  subscribe(listener: ReplayListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers the next frame; false at the end. */
  step(): boolean {
    const frame = this.frames.frame(this.#next);
    if (!frame) return false;
    const index = this.#next++;
    if (frame.restart) for (const l of this.#listeners) l.reset();
    for (const l of this.#listeners) l.update(frame.update, frame, index);
    return true;
  }

  /** Delivers every frame up to and including time `atNs`; seeks back with a reset when needed. */
  seek(atNs: bigint): void {
    this.seekIndex(this.frames.indexAfter(atNs));
  }

  /** Positions so that frames [0, index) have been delivered. */
  seekIndex(index: number): void {
    const clamped = Math.max(0, Math.min(index, this.frames.length));
    if (clamped < this.#next) {
      this.#next = 0;
      for (const l of this.#listeners) l.reset();
    }
    while (this.#next < clamped) this.step();
    for (const l of this.#listeners) l.position?.(this.#next, this.frames.atNs(this.#next - 1));
  }

  /** Plays in (scaled) real time from the current position; `speed` 2 = twice as fast. */
  play(speed = 1): void {
    this.pause();
    this.#speed = speed > 0 ? speed : 1;
    const tick = () => {
      const current = this.frames.atNs(this.#next - 1);
      if (!this.step()) {
        this.#timer = undefined;
        for (const l of this.#listeners) l.position?.(this.#next, current);
        return;
      }
      const now = this.frames.atNs(this.#next - 1)!;
      const following = this.frames.atNs(this.#next);
      const gapMs = following !== undefined ? Number(following - now) / 1e6 / this.#speed : 0;
      this.#timer = setTimeout(tick, Math.max(0, Math.min(gapMs, 5_000)));
    };
    this.#timer = setTimeout(tick, 0);
  }

  pause(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
