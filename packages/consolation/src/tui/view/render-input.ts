/** Everything one frame is drawn from. */
import type { ConnectionState } from "@async-insight/client";
import type { UiState } from "../state/ui-state.js";
import type { TaskHistogramSummaries } from "../../wording/histogram-summary.js";
import type { RuntimeView } from "../state/view-model.js";

export interface ConnectionInfo {
  readonly target: string;
  readonly state: ConnectionState;
  /** From WatchState; `pausing`/`resuming` while the RPC is in flight. */
  readonly temporality: "live" | "paused" | "pausing" | "resuming";
  readonly notice?: string | undefined;
  /** Replaces the connection and pause text, e.g. a replay's position. */
  readonly status?: string | undefined;
}

export interface Size {
  readonly columns: number;
  readonly rows: number;
}

export interface RenderInput {
  readonly data: RuntimeView;
  readonly ui: UiState;
  readonly connection: ConnectionInfo;
  /** Histograms for the open task view, when WatchTaskDetails has sent some. */
  readonly histograms?: TaskHistogramSummaries | undefined;
  readonly size: Size;
  /** Wall clock in ms, for "reconnecting in Ns". */
  readonly nowMs: number;
  /** Lines the feed adds to the `?` window (a replay's keys). */
  readonly extraHelp?: readonly string[] | undefined;
}
