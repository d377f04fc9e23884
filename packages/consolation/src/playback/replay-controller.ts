/**
 * The playback commands both replay front ends offer (the TUI's keys and the
 * web page's buttons), on top of a ReplaySource, so the two cannot drift
 * apart in what "step" or "−5 s" means.
 */
import type { ReplaySource } from "./replay-source.js";
import type { WebReplay } from "@async-insight/web-contract";

export type ReplayCommand =
  | { readonly action: "toggle" | "play" | "pause" | "step" | "start" | "end" | "faster" | "slower" }
  | { readonly action: "seek-by"; readonly ms: number }
  | { readonly action: "seek-to"; readonly ms: number }
  | { readonly action: "speed"; readonly speed: number };

/** The web console shows it as it is, so its shape is the web contract's. */
export type ReplayStatus = WebReplay;

/** Speeds stay within what a person can follow and a timer can keep up with. */
const MIN_SPEED = 1 / 64;
const MAX_SPEED = 1024;

export class ReplayController {
  #speed = 1;

  constructor(readonly source: ReplaySource) {}

  status(): ReplayStatus {
    const { source } = this;
    const start = source.startNs ?? 0n;
    const at = source.frames.atNs(source.position - 1);
    return {
      playing: source.playing,
      speed: this.#speed,
      positionMs: at === undefined ? 0 : Number(at - start) / 1e6,
      durationMs: source.endNs === undefined ? 0 : Number(source.endNs - start) / 1e6,
      frame: source.position,
      frames: source.frames.length,
    };
  }

  run(command: ReplayCommand): ReplayStatus {
    const { source } = this;
    switch (command.action) {
      case "toggle":
        return this.run({ action: source.playing ? "pause" : "play" });
      case "play":
        // Play at the end means "again from the start", as media players do.
        if (source.position >= source.frames.length) source.seekIndex(0);
        source.play(this.#speed);
        break;
      case "pause":
        source.pause();
        break;
      case "step":
        source.pause();
        source.step();
        source.seekIndex(source.position);
        break;
      case "start":
        source.pause();
        source.seekIndex(0);
        break;
      case "end":
        source.pause();
        source.seekIndex(source.frames.length);
        break;
      case "seek-by":
        this.#seekMs(this.status().positionMs + command.ms);
        break;
      case "seek-to":
        this.#seekMs(command.ms);
        break;
      case "faster":
        this.#setSpeed(this.#speed * 2);
        break;
      case "slower":
        this.#setSpeed(this.#speed / 2);
        break;
      case "speed":
        this.#setSpeed(command.speed);
        break;
    }
    return this.status();
  }

  #seekMs(ms: number): void {
    const { source } = this;
    if (source.startNs === undefined || !Number.isFinite(ms)) return;
    const wasPlaying = source.playing;
    source.pause();
    // Before the first frame means nothing delivered, so "back 5 s" near the start lands on an empty state.
    if (ms < 0) source.seekIndex(0);
    else source.seek(source.startNs + BigInt(Math.round(ms * 1e6)));
    if (wasPlaying && source.position < source.frames.length) source.play(this.#speed);
  }

  #setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed <= 0) return;
    this.#speed = Math.max(MIN_SPEED, Math.min(MAX_SPEED, speed));
    if (this.source.playing) this.source.play(this.#speed);
  }
}
