/**
 * A minimal fold of protocol Updates into what `check` needs: tasks with
 * their stats, resources with attributes, async ops and the last poll op of
 * each. This is an adapter standing in for @insight/engine's RuntimeStore,
 * which did not export a store or lints when `check` was written; swap it
 * for the engine's store and lints once they exist.
 */
import { fieldName, fieldValue, timestampToNanos, durationToNanos, type Update, type Location } from "@insight/protocol";

export interface CheckTask {
  readonly spanId: bigint;
  name: string;
  taskId: string;
  kind: string;
  location: string;
  createdNs?: bigint;
  droppedNs?: bigint;
  polls: bigint;
  busyNs: bigint;
  wakes: bigint;
  selfWakes: bigint;
  clones: bigint;
  drops: bigint;
  lastWakeNs?: bigint;
  lastPollStartedNs?: bigint;
  lastPollEndedNs?: bigint;
}

export interface CheckResource {
  readonly id: bigint;
  concreteType: string;
  location: string;
  parentId?: bigint;
  dropped: boolean;
  attributes: Map<string, string | bigint | boolean>;
}

export interface CheckAsyncOp {
  readonly id: bigint;
  source: string;
  location: string;
  resourceId?: bigint;
  taskSpanId?: bigint;
  dropped: boolean;
  attributes: Map<string, string | bigint | boolean>;
  lastPollReady?: boolean;
}

export interface CheckPollOp {
  readonly resourceId?: bigint;
  readonly asyncOpId?: bigint;
  readonly taskSpanId?: bigint;
  readonly name: string;
  readonly ready: boolean;
  readonly seq: number;
}

export function formatLoc(location: Location | undefined): string {
  if (!location?.file) return "";
  return `${location.file}${location.line !== undefined ? `:${location.line}` : ""}${location.column !== undefined ? `:${location.column}` : ""}`;
}

export class CheckModel {
  readonly tasks = new Map<bigint, CheckTask>();
  readonly resources = new Map<bigint, CheckResource>();
  readonly asyncOps = new Map<bigint, CheckAsyncOp>();
  /** Last ready poll op per resource: who acquired it most recently. */
  readonly lastReadyByResource = new Map<bigint, CheckPollOp>();
  readonly metadataLocations = new Map<bigint, string>();
  nowNs: bigint | undefined;
  #seq = 0;

  apply(update: Update): void {
    this.nowNs = timestampToNanos(update.now) ?? this.nowNs;
    for (const m of update.newMetadata?.metadata ?? []) if (m.id && m.metadata) this.metadataLocations.set(m.id.id, formatLoc(m.metadata.location));
    for (const t of update.taskUpdate?.newTasks ?? []) {
      if (!t.id) continue;
      const fields = new Map(t.fields.map((f) => [fieldName(f) ?? "", fieldValue(f)]));
      this.tasks.set(t.id.id, {
        spanId: t.id.id,
        name: String(fields.get("task.name") ?? ""),
        taskId: String(fields.get("task.id") ?? t.id.id),
        kind: String(fields.get("kind") ?? "task"),
        location: formatLoc(t.location) || (t.metadata ? (this.metadataLocations.get(t.metadata.id) ?? "") : ""),
        polls: 0n,
        busyNs: 0n,
        wakes: 0n,
        selfWakes: 0n,
        clones: 0n,
        drops: 0n,
      });
    }
    for (const [key, s] of Object.entries(update.taskUpdate?.statsUpdate ?? {})) {
      const t = this.tasks.get(BigInt(key));
      if (!t) continue;
      t.createdNs = timestampToNanos(s.createdAt);
      t.droppedNs = timestampToNanos(s.droppedAt);
      t.wakes = s.wakes;
      t.selfWakes = s.selfWakes;
      t.clones = s.wakerClones;
      t.drops = s.wakerDrops;
      t.lastWakeNs = timestampToNanos(s.lastWake);
      t.polls = s.pollStats?.polls ?? 0n;
      t.busyNs = durationToNanos(s.pollStats?.busyTime);
      t.lastPollStartedNs = timestampToNanos(s.pollStats?.lastPollStarted);
      t.lastPollEndedNs = timestampToNanos(s.pollStats?.lastPollEnded);
    }
    for (const r of update.resourceUpdate?.newResources ?? []) {
      if (!r.id) continue;
      this.resources.set(r.id.id, {
        id: r.id.id,
        concreteType: r.concreteType,
        location: formatLoc(r.location) || (r.metadata ? (this.metadataLocations.get(r.metadata.id) ?? "") : ""),
        ...(r.parentResourceId && r.parentResourceId.id !== 0n ? { parentId: r.parentResourceId.id } : {}),
        dropped: false,
        attributes: new Map(),
      });
    }
    for (const [key, s] of Object.entries(update.resourceUpdate?.statsUpdate ?? {})) {
      const r = this.resources.get(BigInt(key));
      if (!r) continue;
      r.dropped = s.droppedAt !== undefined;
      for (const a of s.attributes) if (a.field) r.attributes.set(fieldName(a.field) ?? "", fieldValue(a.field) ?? "");
    }
    for (const o of update.asyncOpUpdate?.newAsyncOps ?? []) {
      if (!o.id) continue;
      this.asyncOps.set(o.id.id, {
        id: o.id.id,
        source: o.source,
        location: o.metadata ? (this.metadataLocations.get(o.metadata.id) ?? "") : "",
        ...(o.resourceId && o.resourceId.id !== 0n ? { resourceId: o.resourceId.id } : {}),
        dropped: false,
        attributes: new Map(),
      });
    }
    for (const [key, s] of Object.entries(update.asyncOpUpdate?.statsUpdate ?? {})) {
      const o = this.asyncOps.get(BigInt(key));
      if (!o) continue;
      o.dropped = s.droppedAt !== undefined;
      if (s.taskId && s.taskId.id !== 0n) o.taskSpanId = s.taskId.id;
      for (const a of s.attributes) if (a.field) o.attributes.set(fieldName(a.field) ?? "", fieldValue(a.field) ?? "");
    }
    for (const p of update.resourceUpdate?.newPollOps ?? []) {
      const op: CheckPollOp = {
        name: p.name,
        ready: p.isReady,
        seq: this.#seq++,
        ...(p.resourceId ? { resourceId: p.resourceId.id } : {}),
        ...(p.asyncOpId ? { asyncOpId: p.asyncOpId.id } : {}),
        ...(p.taskId && p.taskId.id !== 0n ? { taskSpanId: p.taskId.id } : {}),
      };
      if (op.asyncOpId !== undefined) {
        const asyncOp = this.asyncOps.get(op.asyncOpId);
        if (asyncOp) {
          asyncOp.lastPollReady = op.ready;
          if (op.taskSpanId !== undefined) asyncOp.taskSpanId = op.taskSpanId;
        }
      }
      if (op.ready && op.resourceId !== undefined && op.taskSpanId !== undefined) this.lastReadyByResource.set(op.resourceId, op);
    }
  }

  /** The public resource a (possibly internal) resource belongs to. */
  rootResource(id: bigint): bigint {
    let current = id;
    for (let guard = 0; guard < 16; guard++) {
      const parent = this.resources.get(current)?.parentId;
      if (parent === undefined || !this.resources.has(parent)) return current;
      current = parent;
    }
    return current;
  }

  taskLabel(spanId: bigint): string {
    const t = this.tasks.get(spanId);
    if (!t) return `task span ${spanId}`;
    return t.name ? `task ${t.taskId} "${t.name}"` : `task ${t.taskId}`;
  }
}
