/** The top bar: target, connection, live/paused, dropped events, pause/resume and downloads. */
import type { WebSnapshot } from "./api/types.ts";
import type { StreamStatus } from "./api/live-snapshot.ts";
import { formatMs } from "./format.ts";

interface Props {
  readonly snapshot: WebSnapshot | undefined;
  readonly stream: StreamStatus;
  readonly commandError: string | undefined;
  onCommand(command: "pause" | "resume"): void;
}

function connectionText(snapshot: WebSnapshot): string {
  const c = snapshot.connection;
  switch (c.status) {
    case "reconnecting":
      return `reconnecting in ${formatMs(c.retryInMs)}: ${c.reason}`;
    case "replay":
      return "recording";
    default:
      return c.status;
  }
}

export function StatusBar({ snapshot, stream, commandError, onCommand }: Props) {
  const dropped = snapshot ? snapshot.dropped.tasks + snapshot.dropped.resources + snapshot.dropped.asyncOps : 0;
  const paused = snapshot?.temporality === "paused" || snapshot?.temporality === "pausing";
  return (
    <header class="status-bar">
      <strong class="brand">consolation web</strong>
      <span class="target" title="target">
        {snapshot?.target ?? "…"}
      </span>
      <span id="stream-status" class={`pill stream-${stream}`} data-status={stream}>
        {stream === "open" ? "page connected" : stream === "connecting" ? "page reconnecting…" : "page disconnected"}
      </span>
      {snapshot && (
        <span id="target-status" class={`pill conn-${snapshot.connection.status}`} data-status={snapshot.connection.status}>
          {connectionText(snapshot)}
        </span>
      )}
      {snapshot && (
        <span id="temporality" class={`pill temporality-${snapshot.temporality}`} data-temporality={snapshot.temporality}>
          {snapshot.temporality === "unknown" ? "live?" : snapshot.temporality}
        </span>
      )}
      {dropped > 0 && snapshot && (
        <span id="dropped" class="pill dropped" title="events the target could not send: the picture is incomplete">
          dropped events: {snapshot.dropped.tasks} tasks, {snapshot.dropped.resources} resources, {snapshot.dropped.asyncOps} async ops
        </span>
      )}
      {snapshot?.notice ? <span class="notice">{snapshot.notice}</span> : null}
      {commandError ? <span class="notice error">{commandError}</span> : null}
      <span class="spacer" />
      {snapshot?.controllable && (
        <button type="button" id="pause-button" onClick={() => onCommand(paused ? "resume" : "pause")}>
          {paused ? "resume" : "pause"}
        </button>
      )}
      <nav class="downloads" aria-label="downloads">
        <a href="/api/export/dot" download="insight-graph.dot">
          DOT
        </a>
        <a href="/api/export/mermaid" download="insight-graph.mmd">
          Mermaid
        </a>
        <a href="/api/export/perfetto" download="insight-timeline.json">
          Perfetto
        </a>
      </nav>
      {/* A replay counts its position in the playback bar; this count would include replays after a seek. */}
      {snapshot && !snapshot.replay && <span class="muted">{snapshot.updates} updates</span>}
    </header>
  );
}
