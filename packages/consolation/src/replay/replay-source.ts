/**
 * Plays a recording or trace back as the Updates a live target would send,
 * with play, pause, step and seek. Consumers (the TUI, `replay --report`,
 * `check FILE`) subscribe and feed what they get into the engine's store, so
 * replayed data goes through exactly the path live data does.
 *
 * Frames are held in memory so seeking backwards is possible: a backwards seek
 * sends `reset` and then every frame up to the new position again.
 */
import type { Update } from "@insight/protocol";
import type { ReadProblem, TraceFormat } from "../readers/runtime-event.js";
import { readUpdates } from "./read-updates.js";

export interface ReplayFrame {
  /** When the message was received (recordings) or the trace time it covers (traces), ns since epoch. */
  readonly atNs: bigint;
  readonly update: Update;
}

export interface ReplayListener {
  /** Forget everything: playback restarts from the first frame. */
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
    readonly frames: readonly ReplayFrame[],
    readonly problems: readonly ReadProblem[],
    readonly format: TraceFormat | undefined,
  ) {}

  static async open(path: string, options: { intervalNs?: bigint } = {}): Promise<ReplaySource> {
    const frames: ReplayFrame[] = [];
    const problems: ReadProblem[] = [];
    const result = await readUpdates(path, { update: (update, atNs) => frames.push({ update, atNs }), problem: (p) => problems.push(p) }, options);
    return new ReplaySource(frames, problems, result.format);
  }

  static fromFrames(frames: readonly ReplayFrame[]): ReplaySource {
    return new ReplaySource(frames, [], undefined);
  }

  get startNs(): bigint | undefined {
    return this.frames[0]?.atNs;
  }

  get endNs(): bigint | undefined {
    return this.frames[this.frames.length - 1]?.atNs;
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
    const frame = this.frames[this.#next];
    if (!frame) return false;
    const index = this.#next++;
    for (const l of this.#listeners) l.update(frame.update, frame, index);
    return true;
  }

  /** Delivers every frame up to and including time `atNs`; seeks back with a reset when needed. */
  seek(atNs: bigint): void {
    const target = this.frames.findIndex((f) => f.atNs > atNs);
    this.seekIndex(target < 0 ? this.frames.length : target);
  }

  /** Positions so that frames [0, index) have been delivered. */
  seekIndex(index: number): void {
    const clamped = Math.max(0, Math.min(index, this.frames.length));
    if (clamped < this.#next) {
      this.#next = 0;
      for (const l of this.#listeners) l.reset();
    }
    while (this.#next < clamped) this.step();
    for (const l of this.#listeners) l.position?.(this.#next, this.frames[this.#next - 1]?.atNs);
  }

  /** Plays in (scaled) real time from the current position; `speed` 2 = twice as fast. */
  play(speed = 1): void {
    this.pause();
    this.#speed = speed > 0 ? speed : 1;
    const tick = () => {
      const current = this.frames[this.#next - 1];
      if (!this.step()) {
        this.#timer = undefined;
        for (const l of this.#listeners) l.position?.(this.#next, current?.atNs);
        return;
      }
      const now = this.frames[this.#next - 1]!;
      const following = this.frames[this.#next];
      const gapMs = following ? Number(following.atNs - now.atNs) / 1e6 / this.#speed : 0;
      this.#timer = setTimeout(tick, Math.max(0, Math.min(gapMs, 5_000)));
    };
    this.#timer = setTimeout(tick, 0);
  }

  pause(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
