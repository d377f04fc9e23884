/**
 * The JSON the web console's page receives over SSE and from its /api
 * routes. It is the only contract between the server (`consolation web`) and
 * the browser app (`@async-insight/web`); both import it from this package, which
 * depends on nothing, so neither has to reach into the other's sources.
 * It holds plain JSON: ids as strings, durations as milliseconds, no bigint.
 * Every string in here may come from the target and must be treated as text.
 */

/**
 * The engine's one task-state vocabulary (`taskActivity`), shared with the
 * terminal console, `dump`, `check` and the plain report: `blocked` is idle
 * while waiting on a pending async op, `idle` is idle with no known wait.
 */
export type TaskStateName = "running" | "scheduled" | "blocked" | "idle" | "done";

export interface WebWait {
  readonly resourceKey: string | null;
  readonly resourceLabel: string;
  readonly resourceType: string;
  readonly reason: string;
  readonly awaitLocation: string | null;
  readonly awaitSource: string | null;
  /**
   * True when the await location is inside the runtime (tokio's trace.rs, say):
   * console-subscriber sends no user await site, so the page points at the
   * resource's creation site and the task's spawn site instead.
   */
  readonly awaitInternal: boolean;
  /** Where the resource was created, when known. */
  readonly resourceLocation: string | null;
}

/** One row of the task table; the snapshot carries every task this way. */
export interface WebTaskRow {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly state: TaskStateName;
  readonly location: string;
  readonly fields: string;
  readonly totalMs: number;
  readonly busyMs: number;
  readonly scheduledMs: number;
  readonly idleMs: number;
  readonly polls: number;
  readonly warnings: number;
}

/** A task's detail pane, fetched on demand from GET /api/task?key=KEY. */
export interface WebTaskDetail {
  readonly row: WebTaskRow;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly parent: { readonly key: string; readonly label: string } | null;
  readonly waits: readonly WebWait[];
  readonly wakers: {
    readonly clones: number;
    readonly drops: number;
    readonly wakes: number;
    readonly selfWakes: number;
    readonly wokenBy: string | null;
    readonly lastWokenAgoMs: number | null;
  };
  readonly warnings: readonly string[];
}

export interface WebFreer {
  readonly taskKey: string;
  readonly taskLabel: string;
  readonly role: string;
  /** The engine's certainty: true when these tasks and nobody else can free it. */
  readonly certain: boolean;
  readonly inferred: boolean;
}

export interface WebResourceRow {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly kind: string;
  readonly location: string;
  readonly attributes: string;
  readonly internal: boolean;
  readonly dropped: boolean;
  readonly waitingCount: number;
}

/** A resource's detail pane, fetched on demand from GET /api/resource?key=KEY. */
export interface WebResourceDetail {
  readonly row: WebResourceRow;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  readonly waiting: ReadonlyArray<{ readonly taskKey: string; readonly taskLabel: string; readonly reason: string }>;
  readonly freers: readonly WebFreer[];
  /** The target proved (garbage collection) that no code still able to run can reach it: the freers listed are the only ones. */
  readonly unreachable?: boolean;
}

export type GraphNodeKind = "task" | "resource";

export interface WebGraphNode {
  /** `t:<task key>` or `r:<resource key>`, unique across both kinds. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** The task or resource key, for opening its details. */
  readonly key: string;
  readonly label: string;
  readonly state: TaskStateName | null;
  readonly inCycle: boolean;
}

export interface WebGraphEdge {
  readonly from: string;
  readonly to: string;
  /** The same words as the DOT export: the wait reason, or the freer's role. */
  readonly label: string;
  readonly relation: "waits" | "frees";
  readonly inferred: boolean;
  readonly inCycle: boolean;
}

export interface WebGraph {
  readonly nodes: readonly WebGraphNode[];
  readonly edges: readonly WebGraphEdge[];
}

export interface WebProblem {
  readonly lint: string;
  readonly severity: "error" | "warning" | "info";
  readonly summary: string;
  readonly explanation: string;
  /** For deadlocks and likely deadlocks: what the verdict rests on (certain freers, a proof, or only known users). */
  readonly evidence?: string;
  readonly docsPage: string;
  readonly taskKeys: readonly string[];
}

export type SegmentState = "idle" | "scheduled" | "busy";

/** One swimlane: [startMs, endMs, state] runs, times relative to `timeline.originMs`. */
export interface WebLane {
  readonly taskKey: string;
  readonly label: string;
  readonly segments: ReadonlyArray<readonly [number, number, SegmentState]>;
}

export interface WebWake {
  readonly atMs: number;
  /** The waker's task key, or null when woken from outside the runtime or unknown. */
  readonly fromKey: string | null;
  readonly toKey: string;
}

export interface WebTimeline {
  /** Target clock at time zero of the lanes, in ms since the epoch. */
  readonly originMs: number;
  readonly endMs: number;
  readonly lanes: readonly WebLane[];
  readonly wakes: readonly WebWake[];
}

export type WebConnection =
  | { readonly status: "connecting" }
  | { readonly status: "connected" }
  | { readonly status: "reconnecting"; readonly reason: string; readonly retryInMs: number }
  | { readonly status: "closed" }
  | { readonly status: "replay" };

/** Where a replay stands: the replay controller's status, sent as is. */
export interface WebReplay {
  readonly playing: boolean;
  readonly speed: number;
  /** Time of the last delivered frame, from the first frame; 0 before any. */
  readonly positionMs: number;
  readonly durationMs: number;
  /** Frames delivered so far. */
  readonly frame: number;
  readonly frames: number;
}

/** Body of POST /api/replay. */
export type WebReplayCommand =
  | { readonly action: "play" | "pause" | "toggle" | "step" | "start" | "end" | "faster" | "slower" }
  | { readonly action: "seek-to" | "seek-by"; readonly ms: number }
  | { readonly action: "speed"; readonly speed: number };

export interface WebSnapshot {
  /** Increases with every snapshot the server publishes. */
  readonly seq: number;
  readonly target: string;
  readonly connection: WebConnection;
  readonly temporality: "live" | "paused" | "pausing" | "resuming" | "unknown";
  /** Whether pause and resume can work: false for recordings. */
  readonly controllable: boolean;
  readonly notice: string | null;
  /** Playback state when the page shows a replayed file that it can play, pause and seek. */
  readonly replay: WebReplay | null;
  readonly dropped: { readonly tasks: number; readonly resources: number; readonly asyncOps: number };
  readonly updates: number;
  readonly tasks: readonly WebTaskRow[];
  readonly resources: readonly WebResourceRow[];
  readonly graph: WebGraph;
  readonly problems: readonly WebProblem[];
  readonly timeline: WebTimeline;
}

/** Answer of GET /api/histograms?task=KEY. */
export interface WebHistogram {
  readonly count: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly percentiles: ReadonlyArray<readonly [number, number]>;
  readonly buckets: readonly number[];
}

export interface WebHistograms {
  readonly taskKey: string;
  readonly poll: WebHistogram | null;
  readonly scheduled: WebHistogram | null;
}
