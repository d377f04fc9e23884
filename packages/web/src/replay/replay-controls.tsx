/**
 * Playback for a replayed file: the server owns the ReplaySource, so each
 * control only posts a command and the next snapshot shows the result.
 */
import { useState } from "preact/hooks";
import { sendReplayCommand } from "../api/server-api.ts";
import type { WebReplay, WebReplayCommand } from "../api/types.ts";

const SEEK_MS = 5_000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function speedText(speed: number): string {
  return speed >= 1 ? `${speed.toFixed(1)}×` : `${Number(speed.toFixed(4))}×`;
}

export function ReplayControls({ replay }: { readonly replay: WebReplay }) {
  const [error, setError] = useState<string | undefined>(undefined);
  // While the thumb is dragged, the slider shows where it is rather than the last snapshot.
  const [dragMs, setDragMs] = useState<number | undefined>(undefined);
  const send = (command: WebReplayCommand) => {
    sendReplayCommand(command).then(setError, (e: unknown) => setError(String(e)));
  };
  const atEnd = replay.frame >= replay.frames;
  const shownMs = dragMs ?? replay.positionMs;
  return (
    <section class="replay-controls" aria-label="playback" data-frame={replay.frame} data-playing={String(replay.playing)}>
      <button type="button" id="replay-start" title="back to the start (nothing received yet)" onClick={() => send({ action: "start" })}>
        start
      </button>
      <button type="button" id="replay-back" title="back 5 s" onClick={() => send({ action: "seek-by", ms: -SEEK_MS })}>
        −5s
      </button>
      <button type="button" id="replay-play" class="primary" onClick={() => send({ action: replay.playing ? "pause" : "play" })}>
        {replay.playing ? "pause" : atEnd ? "play again" : "play"}
      </button>
      <button type="button" id="replay-step" title="deliver the next update" onClick={() => send({ action: "step" })}>
        step
      </button>
      <button type="button" id="replay-forward" title="forward 5 s" onClick={() => send({ action: "seek-by", ms: SEEK_MS })}>
        +5s
      </button>
      <button type="button" id="replay-end" title="to the end" onClick={() => send({ action: "end" })}>
        end
      </button>
      <input
        type="range"
        id="replay-seek"
        aria-label="position"
        min={0}
        max={Math.max(replay.durationMs, 1)}
        step={Math.max(1, Math.round(replay.durationMs / 1000))}
        value={shownMs}
        onInput={(e) => setDragMs(Number((e.target as HTMLInputElement).value))}
        onChange={(e) => {
          setDragMs(undefined);
          send({ action: "seek-to", ms: Number((e.target as HTMLInputElement).value) });
        }}
      />
      <span id="replay-time" class="mono">
        {seconds(shownMs)} / {seconds(replay.durationMs)}
      </span>
      <span id="replay-frame" class="muted">
        update {replay.frame}/{replay.frames}
      </span>
      <span class="speed">
        <button type="button" id="replay-slower" title="half speed" onClick={() => send({ action: "slower" })}>
          ½
        </button>
        <span id="replay-speed">{speedText(replay.speed)}</span>
        <button type="button" id="replay-faster" title="double speed" onClick={() => send({ action: "faster" })}>
          2×
        </button>
      </span>
      {error ? <span class="notice error">{error}</span> : null}
    </section>
  );
}
