/**
 * A stand-in for @insight/engine's RuntimeStore, which had not landed when
 * the TUI was written: folds protocol Updates into tasks, resources and async
 * ops, tracks which op is pending from poll ops, and infers lock holders the
 * way the engine's spec describes (a ready acquire makes its task the holder
 * until the resource reports unlocked). Replace with the engine once it exists.
 */
import {
  durationToNanos,
  fieldName,
  fieldValue,
  timestampToNanos,
  type Attribute,
  type Field,
  type Metadata,
  type Update,
  type tasks,
  type resources,
  type asyncOps,
} from "@insight/protocol";

export type Fields = Map<string, string>;

export interface TaskEntry {
  readonly spanId: bigint;
  readonly displayId: string;
  readonly task: tasks.Task;
  readonly fields: Fields;
  stats: tasks.Stats | undefined;
  /** Busy fraction per update interval, newest last (the sparkline). */
  readonly recent: number[];
  lastBusyNs: bigint;
  lastSampleNs: bigint | undefined;
}

export interface ResourceEntry {
  readonly spanId: bigint;
  readonly displayId: string;
  readonly resource: resources.Resource;
  attributes: Fields;
  droppedAt: bigint | undefined;
  createdAt: bigint | undefined;
}

export interface OpEntry {
  readonly spanId: bigint;
  readonly displayId: string;
  readonly op: asyncOps.AsyncOp;
  stats: asyncOps.Stats | undefined;
  attributes: Fields;
  /** Task span from the latest poll op, which is fresher than the stats' task id. */
  polledBy: bigint | undefined;
  /** Whether the latest poll op returned Ready; undefined when never polled while watched. */
  ready: boolean | undefined;
}

const RECENT_SAMPLES = 32;

function fieldPair(field: Field | undefined, meta: Metadata | undefined): [string, string] | undefined {
  if (!field) return undefined;
  const name = fieldName(field, meta);
  const value = fieldValue(field);
  return name === undefined || value === undefined ? undefined : [name, String(value)];
}

/** Applies attribute updates; numeric `add`/`sub` semantics are left to the engine. */
function attributesOf(attributes: readonly Attribute[], meta: Metadata | undefined, into: Fields): Fields {
  for (const a of attributes) {
    const pair = fieldPair(a.field, meta);
    if (pair) into.set(pair[0], a.unit ? `${pair[1]}${a.unit}` : pair[1]);
  }
  return into;
}

export class FoldStore {
  readonly metadata = new Map<bigint, Metadata>();
  readonly tasks = new Map<bigint, TaskEntry>();
  readonly resources = new Map<bigint, ResourceEntry>();
  readonly ops = new Map<bigint, OpEntry>();
  /** Resource span → task span holding it (inferred for tokio, from insight.owners for insight). */
  readonly holders = new Map<bigint, bigint>();
  readonly dropped = { tasks: 0n, resources: 0n, asyncOps: 0n };
  nowNs = 0n;
  updates = 0;
  #resourceSeq = 0;
  #opSeq = 0;

  metaOf(id: { id: bigint } | undefined): Metadata | undefined {
    return id ? this.metadata.get(id.id) : undefined;
  }

  applyUpdate(update: Update): void {
    this.updates++;
    this.nowNs = timestampToNanos(update.now) ?? this.nowNs;
    for (const m of update.newMetadata?.metadata ?? []) if (m.id && m.metadata) this.metadata.set(m.id.id, m.metadata);
    const tu = update.taskUpdate;
    if (tu) {
      this.dropped.tasks += tu.droppedEvents;
      for (const task of tu.newTasks) {
        if (!task.id) continue;
        const fields: Fields = new Map();
        const meta = this.metaOf(task.metadata);
        for (const f of task.fields) {
          const pair = fieldPair(f, meta);
          if (pair) fields.set(pair[0], pair[1]);
        }
        const old = this.tasks.get(task.id.id);
        this.tasks.set(task.id.id, {
          spanId: task.id.id,
          displayId: fields.get("task.id") ?? String(task.id.id),
          task,
          fields,
          stats: old?.stats,
          recent: old?.recent ?? [],
          lastBusyNs: 0n,
          lastSampleNs: undefined,
        });
      }
      for (const [key, stats] of Object.entries(tu.statsUpdate)) {
        const entry = this.tasks.get(BigInt(key));
        if (entry) entry.stats = stats;
      }
    }
    const ru = update.resourceUpdate;
    if (ru) {
      this.dropped.resources += ru.droppedEvents;
      for (const resource of ru.newResources) {
        if (!resource.id) continue;
        const old = this.resources.get(resource.id.id);
        this.resources.set(resource.id.id, {
          spanId: resource.id.id,
          displayId: old?.displayId ?? String(++this.#resourceSeq),
          resource,
          attributes: old?.attributes ?? new Map(),
          droppedAt: old?.droppedAt,
          createdAt: old?.createdAt,
        });
      }
      for (const [key, stats] of Object.entries(ru.statsUpdate)) {
        const entry = this.resources.get(BigInt(key));
        if (!entry) continue;
        entry.attributes = attributesOf(stats.attributes, this.metaOf(entry.resource.metadata), entry.attributes);
        entry.createdAt = timestampToNanos(stats.createdAt);
        entry.droppedAt = timestampToNanos(stats.droppedAt);
      }
    }
    const au = update.asyncOpUpdate;
    if (au) {
      this.dropped.asyncOps += au.droppedEvents;
      for (const op of au.newAsyncOps) {
        if (!op.id) continue;
        const old = this.ops.get(op.id.id);
        this.ops.set(op.id.id, {
          spanId: op.id.id,
          displayId: old?.displayId ?? String(++this.#opSeq),
          op,
          stats: old?.stats,
          attributes: old?.attributes ?? new Map(),
          polledBy: old?.polledBy,
          ready: old?.ready,
        });
      }
      for (const [key, stats] of Object.entries(au.statsUpdate)) {
        const entry = this.ops.get(BigInt(key));
        if (!entry) continue;
        entry.stats = stats;
        entry.attributes = attributesOf(stats.attributes, this.metaOf(entry.op.metadata), entry.attributes);
      }
    }
    for (const poll of ru?.newPollOps ?? []) {
      const op = poll.asyncOpId ? this.ops.get(poll.asyncOpId.id) : undefined;
      const taskSpan = poll.taskId?.id;
      if (op) {
        op.ready = poll.isReady;
        op.polledBy = taskSpan ?? op.polledBy;
      }
      const resource = poll.resourceId ? this.resources.get(poll.resourceId.id) : undefined;
      const source = op?.op.source ?? "";
      if (poll.isReady && taskSpan !== undefined && resource && /^(Mutex::lock|RwLock::write)/.test(source)) {
        this.holders.set(resource.spanId, taskSpan);
      }
    }
    // A state update saying "unlocked" ends an inferred hold.
    for (const [span, entry] of this.resources) {
      const a = entry.attributes;
      if (a.get("locked") === "false" || a.get("write_locked") === "false" || entry.droppedAt !== undefined) this.holders.delete(span);
    }
    this.#sample();
  }

  #sample(): void {
    for (const entry of this.tasks.values()) {
      const busy = durationToNanos(entry.stats?.pollStats?.busyTime);
      if (entry.lastSampleNs !== undefined && this.nowNs > entry.lastSampleNs) {
        const fraction = Number(busy - entry.lastBusyNs) / Number(this.nowNs - entry.lastSampleNs);
        entry.recent.push(Math.max(0, Math.min(1, fraction)));
        if (entry.recent.length > RECENT_SAMPLES) entry.recent.shift();
      }
      entry.lastBusyNs = busy;
      entry.lastSampleNs = this.nowNs;
    }
  }

  /** Ops currently pending for a task: polled, not ready, not dropped. Innermost-parent duplicates removed. */
  pendingOps(): OpEntry[] {
    // insight marks a finished wait with insight.woken_by; tokio only says so through poll ops.
    const waiting = (o: OpEntry) => o.ready === false || (o.attributes.has("insight.reason") && !o.attributes.has("insight.woken_by"));
    const pending = [...this.ops.values()].filter((o) => waiting(o) && !o.stats?.droppedAt);
    const pendingIds = new Set(pending.map((o) => o.spanId));
    // `Mutex::lock` waits through an inner `Acquire::new`; show the outer, user-facing op only.
    return pending.filter((o) => !(o.op.parentAsyncOpId && pendingIds.has(o.op.parentAsyncOpId.id)));
  }

  opTask(op: OpEntry): bigint | undefined {
    return op.polledBy ?? op.stats?.taskId?.id;
  }
}
