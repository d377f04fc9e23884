/**
 * Where the console's data comes from: a live target (LiveFeed, below) or a
 * replayed file (replay-feed.ts). The app loop only knows this interface, so
 * drawing, keys and the store are the same for both.
 */
import { Temporality, type Update } from "@async-insight/protocol";
import { describeConnectionError, watchTarget, type ConsoleClient, type TargetWatch } from "@async-insight/client";
import { RestartDetector } from "../../wording/process-change.js";
import type { UiState } from "../state/ui-state.js";
import type { Key } from "../term/key-decoder.js";
import type { ConnectionInfo } from "../view/render-input.js";

export interface FeedSink {
  update(update: Update): void;
  /** Everything delivered so far is void (a backwards seek, a restarted target); the app starts from an empty store. */
  reset(): void;
  /** created_at (ns) of the task the span id names in the store, if any: the evidence of a restart. */
  taskCreatedAt(spanId: string): bigint | undefined;
  connection(change: (current: ConnectionInfo) => ConnectionInfo): void;
  /** Something the header shows changed without an update. */
  changed(): void;
  notice(text: string): void;
}

export interface Feed {
  readonly initialConnection: ConnectionInfo;
  /** For WatchTaskDetails (histograms); recordings have no target to ask. */
  readonly client?: ConsoleClient;
  /** With several targets: the client of the target a task (by view key) belongs to. */
  detailsClient?(taskKey: string): ConsoleClient | undefined;
  /** Lines added to the `?` window. */
  readonly helpLines?: readonly string[];
  start(sink: FeedSink): void;
  stop(): void;
  /** The space bar. */
  togglePause(): void;
  /** Keys the feed claims before the keymap sees them (never while typing a filter or reading help). */
  handleKey?(key: Key, ui: UiState): boolean;
}

export class LiveFeed implements Feed {
  readonly initialConnection: ConnectionInfo;
  #watch: TargetWatch | undefined;
  #sink: FeedSink | undefined;

  constructor(readonly client: ConsoleClient) {
    this.initialConnection = { target: client.label, state: { status: "connecting" }, temporality: "live" };
  }

  start(sink: FeedSink): void {
    this.#sink = sink;
    // A reconnect may land on a restarted process whose ids mean other things: its state starts afresh.
    const restarts = new RestartDetector((spanId) => sink.taskCreatedAt(spanId));
    this.#watch = watchTarget(this.client, {
      onUpdate: (update) => {
        if (restarts.startsNewProcess(update)) {
          sink.reset();
          sink.notice("the target restarted: showing the new process");
        }
        sink.update(update);
      },
      onState: (state) => sink.connection((c) => ({ ...c, temporality: state.temporality === Temporality.PAUSED ? "paused" : "live" })),
      onConnection: (state) => {
        if (state.status === "connected") restarts.connected();
        sink.connection((c) => ({ ...c, state }));
      },
      onNotice: (message) => sink.connection((c) => ({ ...c, notice: message })),
    });
  }

  stop(): void {
    this.#watch?.stop();
  }

  togglePause(): void {
    const sink = this.#sink;
    if (!sink) return;
    const pausing = startPauseToggle(sink);
    (pausing ? this.client.pause() : this.client.resume()).then(
      // WatchState confirms; targets without it never will, so settle here too.
      () => sink.connection((c) => ({ ...c, temporality: pausing ? "paused" : "live" })),
      (error: unknown) => {
        sink.connection((c) => ({ ...c, temporality: pausing ? "live" : "paused" }));
        // The target's words, made safe and capped like every connection error.
        sink.notice(`could not ${pausing ? "pause" : "resume"}: ${describeConnectionError(error, this.client.label)}`);
      },
    );
  }
}

/** Shows "pausing" or "resuming" at once, before the target answers; true when the toggle pauses. */
export function startPauseToggle(sink: Pick<FeedSink, "connection">): boolean {
  let pausing = false;
  sink.connection((c) => {
    pausing = c.temporality === "live" || c.temporality === "resuming";
    return { ...c, temporality: pausing ? "pausing" : "resuming" };
  });
  return pausing;
}
