/**
 * A recording or trace played into the console instead of a live target.
 * Space plays and pauses the file rather than a target, and a few keys the
 * keymap leaves free move through it.
 */
import { ReplayController, type ReplayCommand, type ReplayStatus } from "../../playback/replay-controller.js";
import type { ReplaySource } from "../../playback/replay-source.js";
import { currentScreen, type UiState } from "../state/ui-state.js";
import type { Key } from "../term/key-decoder.js";
import type { ConnectionInfo } from "../view/render-input.js";
import type { Feed, FeedSink } from "./feed.js";

const SEEK_MS = 5_000;

export const REPLAY_HELP = [
  "Replay keys (the console is playing a file, not watching a target)",
  "  space  play / pause       .  step one update (→ too, outside the lists)",
  "  [ / ]  back / forward 5 s         { / }  half / double speed",
  "  0  back to the start (nothing received yet)",
];

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function formatSpeed(speed: number): string {
  return speed >= 1 ? `${speed.toFixed(1)}x` : `${Number(speed.toFixed(4))}x`;
}

/** `replay  ▶ 1.0x  12.3s / 40.0s  frame 120/400`: what the header shows instead of a connection. */
export function replayStatusLine(status: ReplayStatus): string {
  const state = status.playing ? "▶" : status.frame >= status.frames ? "■" : "‖";
  return `replay  ${state} ${formatSpeed(status.speed)}  ${formatSeconds(status.positionMs)} / ${formatSeconds(status.durationMs)}  frame ${status.frame}/${status.frames}`;
}

function commandFor(key: Key, ui: UiState): ReplayCommand | undefined {
  if (key.ctrl) return undefined;
  if (key.name === "right") {
    const kind = currentScreen(ui).kind;
    // The lists use → to pick the sort column.
    return kind === "tasks" || kind === "resources" ? undefined : { action: "step" };
  }
  if (key.name !== "char") return undefined;
  switch (key.char) {
    case ".":
      return { action: "step" };
    case "[":
      return { action: "seek-by", ms: -SEEK_MS };
    case "]":
      return { action: "seek-by", ms: SEEK_MS };
    case "{":
      return { action: "slower" };
    case "}":
      return { action: "faster" };
    case "0":
      return { action: "start" };
    default:
      return undefined;
  }
}

export interface ReplayFeedOptions {
  readonly label: string;
  /** Where playback starts, as a frame count; the end (the post-mortem view) by default. */
  readonly startIndex?: number;
}

export class ReplayFeed implements Feed {
  readonly initialConnection: ConnectionInfo;
  readonly helpLines = REPLAY_HELP;
  readonly controller: ReplayController;
  #sink: FeedSink | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    readonly source: ReplaySource,
    readonly options: ReplayFeedOptions,
  ) {
    this.controller = new ReplayController(source);
    this.initialConnection = this.#connection({ target: options.label, state: { status: "connected", since: Date.now() }, temporality: "paused" });
  }

  #connection(current: ConnectionInfo): ConnectionInfo {
    const status = this.controller.status();
    return { ...current, temporality: status.playing ? "live" : "paused", status: replayStatusLine(status) };
  }

  start(sink: FeedSink): void {
    this.#sink = sink;
    this.#unsubscribe = this.source.subscribe({
      reset: () => sink.reset(),
      update: (update) => {
        sink.update(update);
        sink.connection((c) => this.#connection(c));
      },
      position: () => sink.connection((c) => this.#connection(c)),
    });
    this.source.seekIndex(this.options.startIndex ?? this.source.frames.length);
  }

  stop(): void {
    this.source.pause();
    this.#unsubscribe?.();
  }

  togglePause(): void {
    this.#run({ action: "toggle" });
  }

  handleKey(key: Key, ui: UiState): boolean {
    const command = commandFor(key, ui);
    if (!command) return false;
    this.#run(command);
    return true;
  }

  #run(command: ReplayCommand): void {
    this.controller.run(command);
    this.#sink?.connection((c) => this.#connection(c));
  }
}
