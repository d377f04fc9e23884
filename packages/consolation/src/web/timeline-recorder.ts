/**
 * Builds per-task idle / scheduled / busy swimlanes from the protocol's task
 * stats. The wire carries only the latest wake, poll start and poll end per
 * update, so a lane is a series of observations: exact for tasks polled at
 * most once per update interval (the blocked and starved tasks people look
 * for), and showing the last poll of each interval for busier ones.
 */
import { fieldName, fieldValue, timestampToNanos, type Metadata, type Update } from "@async-insight/protocol";
import type { SegmentState, WebLane, WebTimeline, WebWake } from "@async-insight/web-contract";

export interface TimelineLimits {
  /** Segments kept per lane; the oldest go first. */
  readonly segmentsPerLane: number;
  /** Wake arrows kept in total. */
  readonly wakes: number;
  /** How long a finished task's lane stays after it ends. */
  readonly retainFinishedNs: bigint;
}

const DEFAULT_LIMITS: TimelineLimits = { segmentsPerLane: 400, wakes: 4000, retainFinishedNs: 60_000_000_000n };

interface Lane {
  readonly key: string;
  segments: Array<[bigint, bigint, SegmentState]>;
  state: SegmentState;
  cursor: bigint;
  lastWake: bigint | undefined;
  lastStart: bigint | undefined;
  lastEnd: bigint | undefined;
  droppedAt: bigint | undefined;
}

interface Wake {
  readonly at: bigint;
  readonly fromDisplayId: string | undefined;
  readonly toKey: string;
}

export class TimelineRecorder {
  readonly #limits: TimelineLimits;
  readonly #lanes = new Map<string, Lane>();
  readonly #metadata = new Map<bigint, Metadata>();
  /** Async op span → its metadata id, which names its attributes' fields. */
  readonly #opMetadata = new Map<string, bigint>();
  /** Task span → the task.id that most recently completed one of its waits (`insight.woken_by`). */
  readonly #wokenBy = new Map<string, string>();
  #wakes: Wake[] = [];
  #origin: bigint | undefined;
  #now = 0n;

  constructor(limits: Partial<TimelineLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  apply(update: Update): void {
    const now = timestampToNanos(update.now);
    if (now !== undefined) {
      this.#now = now;
      this.#origin ??= now;
    }
    for (const m of update.newMetadata?.metadata ?? []) if (m.id && m.metadata) this.#metadata.set(m.id.id, m.metadata);
    for (const task of update.taskUpdate?.newTasks ?? []) {
      if (!task.id) continue;
      const key = String(task.id.id);
      // Span ids are reused on tokio: a new task under an old key starts a fresh lane.
      this.#lanes.set(key, {
        key,
        segments: [],
        state: "idle",
        cursor: this.#now,
        lastWake: undefined,
        lastStart: undefined,
        lastEnd: undefined,
        droppedAt: undefined,
      });
    }
    for (const op of update.asyncOpUpdate?.newAsyncOps ?? []) if (op.id && op.metadata) this.#opMetadata.set(String(op.id.id), op.metadata.id);
    for (const [opKey, stats] of Object.entries(update.asyncOpUpdate?.statsUpdate ?? {})) {
      const taskSpan = stats.taskId?.id;
      if (taskSpan === undefined) continue;
      const metaId = this.#opMetadata.get(opKey);
      const meta = metaId !== undefined ? this.#metadata.get(metaId) : undefined;
      for (const attribute of stats.attributes) {
        if (!attribute.field || fieldName(attribute.field, meta) !== "insight.woken_by") continue;
        const value = fieldValue(attribute.field);
        if (value !== undefined) this.#wokenBy.set(String(taskSpan), String(value));
      }
    }
    for (const [key, stats] of Object.entries(update.taskUpdate?.statsUpdate ?? {})) {
      const lane = this.#lanes.get(key);
      if (!lane) continue;
      const created = timestampToNanos(stats.createdAt);
      if (lane.segments.length === 0 && created !== undefined && created < lane.cursor) lane.cursor = created;
      this.#advance(lane, {
        wake: timestampToNanos(stats.lastWake),
        start: timestampToNanos(stats.pollStats?.lastPollStarted),
        end: timestampToNanos(stats.pollStats?.lastPollEnded),
        dropped: timestampToNanos(stats.droppedAt),
      });
    }
    // Lanes without a stats update this time still grow to `now` in their current state.
    for (const lane of this.#lanes.values()) {
      if (lane.droppedAt === undefined) this.#extend(lane, this.#now);
      else if (this.#now - lane.droppedAt > this.#limits.retainFinishedNs) this.#lanes.delete(lane.key);
    }
  }

  #advance(lane: Lane, seen: { wake?: bigint | undefined; start?: bigint | undefined; end?: bigint | undefined; dropped?: bigint | undefined }): void {
    const points: Array<[bigint, "wake" | "start" | "end"]> = [];
    if (seen.wake !== undefined && seen.wake !== lane.lastWake) {
      points.push([seen.wake, "wake"]);
      this.#recordWake(lane, seen.wake);
    }
    if (seen.start !== undefined && seen.start !== lane.lastStart) points.push([seen.start, "start"]);
    if (seen.end !== undefined && seen.end !== lane.lastEnd) points.push([seen.end, "end"]);
    lane.lastWake = seen.wake ?? lane.lastWake;
    lane.lastStart = seen.start ?? lane.lastStart;
    lane.lastEnd = seen.end ?? lane.lastEnd;
    // Order matters when times tie: a wake precedes the poll it causes, which precedes its end.
    const rank = { wake: 0, start: 1, end: 2 } as const;
    points.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : rank[a[1]] - rank[b[1]]));
    for (const [at, kind] of points) {
      if (at < lane.cursor) continue;
      this.#extend(lane, at);
      if (kind === "start") lane.state = "busy";
      else if (kind === "end") lane.state = "idle";
      else if (lane.state !== "busy") lane.state = "scheduled";
    }
    if (seen.dropped !== undefined && lane.droppedAt === undefined) {
      this.#extend(lane, seen.dropped);
      lane.droppedAt = seen.dropped;
    }
  }

  #recordWake(lane: Lane, at: bigint): void {
    this.#wakes.push({ at, fromDisplayId: this.#wokenBy.get(lane.key), toKey: lane.key });
    if (this.#wakes.length > this.#limits.wakes) this.#wakes = this.#wakes.slice(-this.#limits.wakes);
  }

  /** Describes the lane up to `to` in its current state, merging with the previous run when it matches. */
  #extend(lane: Lane, to: bigint): void {
    if (to <= lane.cursor) return;
    const last = lane.segments.at(-1);
    if (last && last[2] === lane.state && last[1] === lane.cursor) last[1] = to;
    else {
      lane.segments.push([lane.cursor, to, lane.state]);
      if (lane.segments.length > this.#limits.segmentsPerLane) lane.segments.shift();
    }
    lane.cursor = to;
  }

  /**
   * The lanes as JSON. Lanes are recorded per span id; `resolve` maps one to
   * the task's display key and label, or undefined when the task is gone.
   */
  toJson(resolve: (spanKey: string) => { key: string; label: string } | undefined): WebTimeline {
    const origin = this.#origin ?? this.#now;
    const ms = (ns: bigint) => Number(ns - origin) / 1e6;
    const keyBySpan = new Map<string, string>();
    const lanes: WebLane[] = [];
    for (const lane of this.#lanes.values()) {
      const task = resolve(lane.key);
      if (task === undefined) continue;
      keyBySpan.set(lane.key, task.key);
      lanes.push({ taskKey: task.key, label: task.label, segments: lane.segments.map(([a, b, s]) => [ms(a), ms(b), s] as const) });
    }
    const shown = new Set(keyBySpan.values());
    const wakes: WebWake[] = [];
    for (const w of this.#wakes) {
      const toKey = keyBySpan.get(w.toKey);
      if (toKey === undefined) continue;
      // insight.woken_by names the waker by task.id, which is the display key; 0 means outside the runtime.
      const fromKey = w.fromDisplayId !== undefined && shown.has(w.fromDisplayId) ? w.fromDisplayId : null;
      wakes.push({ atMs: ms(w.at), fromKey, toKey });
    }
    return { originMs: Number(origin / 1_000_000n), endMs: ms(this.#now), lanes, wakes };
  }
}
