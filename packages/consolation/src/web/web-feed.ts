/**
 * The state behind the web console: protocol Updates go into the engine's
 * RuntimeStore and the timeline recorder, and at most one snapshot per interval is
 * built and handed to subscribers (updates can arrive far faster than a page
 * wants them, and building a snapshot of thousands of tasks is not free).
 * A feed is either live (a client, with pause/resume) or a replayed recording.
 */
import type { State, Update } from "@async-insight/protocol";
import { Temporality } from "@async-insight/protocol";
import type { ConnectionState } from "@async-insight/client";
import { boundedJsonReplacer, RuntimeStore, toChromeTrace, toDot, toMermaid, wholeGraphView } from "@async-insight/engine";
import { buildGraph } from "./dependency-graph.js";
import { taskIdAndName } from "../wording/task-text.js";
import { RestartDetector } from "../wording/process-change.js";
import { WaitIndex } from "../wording/wait-index.js";
import { lintProblems, resourceDetail, resourceRow, taskDetail, taskRow } from "./engine-view.js";
import { TimelineRecorder } from "./timeline-recorder.js";
import type { WebConnection, WebReplay, WebProblem, WebResourceDetail, WebSnapshot, WebTaskDetail } from "@async-insight/web-contract";

export interface WebFeedOptions {
  readonly target: string;
  /** Whether pause and resume reach a target (false for recordings). */
  readonly controllable: boolean;
  /** Least time between two published snapshots. */
  readonly minIntervalMs?: number;
  /**
   * Least time between two lint runs. Lints are the dearest part of a
   * snapshot (about 180 ms for 5,000 tasks), and problems that appear a
   * second late cost nothing.
   */
  readonly lintIntervalMs?: number;
  readonly store?: RuntimeStore;
}

export type SnapshotListener = (snapshot: WebSnapshot) => void;

export class WebFeed {
  readonly #options: WebFeedOptions;
  #store: RuntimeStore;
  #timeline = new TimelineRecorder();
  /** Judges each reconnect's first update against the tasks the store holds (reading/process-change.ts). */
  readonly #restarts = new RestartDetector((spanId) => (/^\d+$/.test(spanId) ? this.#store.taskBySpanId(BigInt(spanId))?.createdAt : undefined));
  readonly #listeners = new Set<SnapshotListener>();
  #connection: WebConnection = { status: "connecting" };
  #temporality: WebSnapshot["temporality"] = "unknown";
  #notice: string | null = null;
  #replay: WebReplay | null = null;
  #updates = 0;
  #seq = 0;
  #latest: WebSnapshot | undefined;
  #dirty = true;
  #timer: NodeJS.Timeout | undefined;
  #lastPublish = 0;
  #closed = false;
  #problems: { readonly at: number; readonly generation: number; readonly list: WebProblem[] } | undefined;
  #lintTimer: NodeJS.Timeout | undefined;

  constructor(options: WebFeedOptions) {
    this.#options = options;
    this.#store = options.store ?? new RuntimeStore();
    if (!options.controllable) this.#connection = { status: "replay" };
  }

  applyUpdate(update: Update): void {
    if (this.#restarts.startsNewProcess(update)) {
      this.reset();
      this.#notice = "the target restarted: showing the new process";
    }
    this.#store.applyUpdate(update);
    this.#timeline.apply(update);
    this.#updates += 1;
    this.#changed();
  }

  applyState(state: State): void {
    this.#store.applyState(state);
    this.#temporality = state.temporality === Temporality.PAUSED ? "paused" : "live";
    this.#changed();
  }

  /**
   * A new connection starts with a full snapshot from the target, which may be
   * a restarted process whose ids mean other things: its first update decides,
   * and the old state goes when it comes from a new process.
   */
  setConnection(state: ConnectionState): void {
    if (state.status === "connected") this.#restarts.connected();
    if (state.status === "reconnecting")
      this.#connection = { status: "reconnecting", reason: state.reason, retryInMs: Math.max(0, state.retryAt - Date.now()) };
    else this.#connection = { status: state.status };
    this.#changed();
  }

  /** Forgets all state: a reconnect to a restarted target, or a replay seeking backwards. */
  reset(): void {
    this.#store = new RuntimeStore();
    this.#timeline = new TimelineRecorder();
    this.#problems = undefined;
    this.#changed();
  }

  setReplay(replay: WebReplay | null): void {
    this.#replay = replay;
    if (replay) this.#temporality = replay.playing ? "live" : "paused";
    this.#changed();
  }

  setTemporality(temporality: WebSnapshot["temporality"]): void {
    this.#temporality = temporality;
    this.#changed();
  }

  setNotice(notice: string | null): void {
    this.#notice = notice;
    this.#changed();
  }

  get controllable(): boolean {
    return this.#options.controllable;
  }

  /** The current snapshot, built now if anything changed since the last one. */
  snapshot(): WebSnapshot {
    if (!this.#dirty && this.#latest) return this.#latest;
    this.#dirty = false;
    const store = this.#store;
    const problems = this.#lint();
    const warned = new Map<string, number>();
    for (const p of problems) for (const key of p.taskKeys) warned.set(key, (warned.get(key) ?? 0) + 1);
    const tasks = store.tasks();
    const waits = new WaitIndex(store, tasks);
    this.#seq += 1;
    const dropped = store.droppedEvents;
    this.#latest = {
      seq: this.#seq,
      target: this.#options.target,
      connection: this.#connection,
      temporality: this.#temporality,
      controllable: this.#options.controllable,
      notice: this.#notice,
      replay: this.#replay,
      dropped: { tasks: Number(dropped.tasks), resources: Number(dropped.resources), asyncOps: Number(dropped.asyncOps) },
      updates: this.#updates,
      tasks: tasks.map((t) => taskRow(store, t, warned.get(String(t.id)) ?? 0)),
      resources: store.resources().map((r) => resourceRow(store, r, waits)),
      graph: buildGraph(store, waits),
      problems,
      timeline: this.#timeline.toJson((spanKey) => {
        const task = store.taskBySpanId(BigInt(spanKey));
        return task ? { key: String(task.id), label: taskIdAndName(task) } : undefined;
      }),
    };
    return this.#latest;
  }

  /** Lint results, rerun when the store changed and the last run is old enough; otherwise a rerun is scheduled. */
  #lint(): WebProblem[] {
    const interval = this.#options.lintIntervalMs ?? 1000;
    const now = Date.now();
    const cached = this.#problems;
    if (cached && (cached.generation === this.#updates || now - cached.at < interval)) {
      if (cached.generation !== this.#updates && this.#lintTimer === undefined && !this.#closed) {
        this.#lintTimer = setTimeout(
          () => {
            this.#lintTimer = undefined;
            this.#changed();
          },
          interval - (now - cached.at),
        );
      }
      return cached.list;
    }
    const list = lintProblems(this.#store);
    this.#problems = { at: now, generation: this.#updates, list };
    return list;
  }

  taskDetail(key: string): WebTaskDetail | undefined {
    if (!/^\d{1,20}$/.test(key)) return undefined;
    // The last lint run is recent enough; building a whole snapshot per detail request is not.
    const warnings = (this.#problems?.list ?? []).filter((p) => p.taskKeys.includes(key)).map((p) => p.summary);
    return taskDetail(this.#store, BigInt(key), warnings);
  }

  resourceDetail(key: string): WebResourceDetail | undefined {
    if (!/^\d{1,20}$/.test(key)) return undefined;
    return resourceDetail(this.#store, BigInt(key));
  }

  /** The protocol id (span id) of a task, for WatchTaskDetails. */
  spanIdOf(key: string): bigint | undefined {
    if (!/^\d{1,20}$/.test(key)) return undefined;
    return this.#store.task(BigInt(key))?.spanId;
  }

  /** The downloads are the engine's own exports, so they match `consolation` elsewhere. */
  dot(): string {
    return toDot(wholeGraphView(this.#store));
  }

  mermaid(): string {
    return toMermaid(wholeGraphView(this.#store));
  }

  perfetto(): string {
    return `${JSON.stringify(toChromeTrace(this.#store), boundedJsonReplacer)}\n`;
  }

  subscribe(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#lintTimer) clearTimeout(this.#lintTimer);
    this.#listeners.clear();
  }

  #changed(): void {
    this.#dirty = true;
    if (this.#timer !== undefined || this.#closed) return;
    const wait = Math.max(0, this.#lastPublish + (this.#options.minIntervalMs ?? 250) - Date.now());
    this.#timer = setTimeout(() => this.#publish(), wait);
  }

  #publish(): void {
    this.#timer = undefined;
    if (this.#closed || this.#listeners.size === 0) return;
    this.#lastPublish = Date.now();
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot);
  }
}
