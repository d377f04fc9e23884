/**
 * Turning records into console-api messages: metadata, tasks, resources and
 * async ops, following docs/wire-conventions.md. Everything here runs when an
 * update is built (once per publish interval), never on the host's hot paths.
 */
import { create } from "@bufbuild/protobuf";
import {
  Metadata_Kind,
  Metadata_Level,
  UpdateSchema,
  asyncOps,
  resources,
  tasks,
  type Field,
  type PollStats,
  type RegisterMetadata_NewMetadata,
  type Update,
} from "@async-insight/protocol";
import { loadSource, resolveSite, sourceLine, type Location } from "./callsite.js";
import { msToNanos, now, toEpochNanos } from "./clock.js";
import { DurationRecorder, HISTOGRAM_MAX_NS } from "./histogram.js";
import { durationMessage, idMessage, locationMessage, metaIdMessage, pollStatsMessage, spanIdMessage, timestampMessage } from "./wire-messages.js";
import type { AttributeValues, TaskFieldValue, OpRecord, LiveResource, LiveTask } from "./records.js";
import type { Runtime } from "./runtime.js";

const TASK_META = 1n;
const RESOURCE_META = 2n;
const OP_META = 3n;
const TARGET = "insight";

function ts(ms: number) {
  return ms < 0 ? undefined : timestampMessage(toEpochNanos(ms));
}

function locationInit(location: Location | undefined) {
  return location ? { file: location.file, line: location.line, column: location.column } : undefined;
}

export function field(name: string, value: TaskFieldValue, metaId: bigint): Field {
  let v: Field["value"];
  if (typeof value === "string") v = { case: "strVal", value };
  else if (typeof value === "boolean") v = { case: "boolVal", value };
  else if (typeof value === "bigint") v = value >= 0n ? { case: "u64Val", value } : { case: "i64Val", value };
  else if (Number.isInteger(value)) v = value >= 0 ? { case: "u64Val", value: BigInt(value) } : { case: "i64Val", value: BigInt(value) };
  else v = { case: "debugVal", value: String(value) };
  // A finished message, as create() would make it (wire-messages.ts): a task has three or more.
  return { $typeName: "rs.tokio.console.common.Field", name: { case: "strName", value: name }, value: v, metadataId: metaIdMessage(metaId) };
}

function attributes(values: AttributeValues, metaId: bigint) {
  const out = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out.push({ field: field(name, value, metaId) });
  }
  return out;
}

/** Interned metadata: three fixed entries plus one per await site. */
export class MetadataTable {
  readonly #all: RegisterMetadata_NewMetadata[] = [];
  #pending: RegisterMetadata_NewMetadata[] = [];
  readonly #sites = new Map<string, bigint>();
  #next = 4n;

  constructor() {
    this.#add(TASK_META, "runtime.spawn", `${TARGET}::task`, undefined, ["kind", "task.name", "task.id"]);
    this.#add(RESOURCE_META, "runtime.resource", `${TARGET}::sync`, undefined, ["concrete_type", "kind"]);
    this.#add(OP_META, "runtime.resource.async_op", `${TARGET}::sync`, undefined, ["source"]);
  }

  #add(id: bigint, name: string, target: string, location: Location | undefined, fieldNames: string[]): void {
    const entry = {
      id: { id },
      metadata: {
        name,
        target,
        modulePath: target,
        location: locationInit(location),
        kind: Metadata_Kind.SPAN,
        level: Metadata_Level.TRACE,
        fieldNames,
      },
    } as RegisterMetadata_NewMetadata;
    this.#all.push(entry);
    this.#pending.push(entry);
  }

  /** The metadata of an await site: async op metadata located there. */
  forAwaitSite(location: Location | undefined): bigint {
    if (!location) return OP_META;
    const key = `${location.file}:${location.line}:${location.column}`;
    let id = this.#sites.get(key);
    if (id === undefined) {
      id = this.#next++;
      this.#sites.set(key, id);
      this.#add(id, "runtime.resource.async_op", `${TARGET}::sync`, location, ["source"]);
    }
    return id;
  }

  all(): RegisterMetadata_NewMetadata[] {
    return [...this.#all];
  }

  /** How many entries exist; with since(), what a sliced snapshot still owes a console. */
  get size(): number {
    return this.#all.length;
  }

  since(count: number): RegisterMetadata_NewMetadata[] {
    return this.#all.slice(count);
  }

  takePending(): RegisterMetadata_NewMetadata[] {
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }
}

// A task and its stats are built as finished messages (wire-messages.ts): a delta is mostly these.
function taskMessage(task: LiveTask): tasks.Task {
  const fields = [field("kind", task.kind, TASK_META), field("task.name", task.name, TASK_META), field("task.id", task.taskId, TASK_META)];
  for (const [name, value] of Object.entries(task.fields)) fields.push(field(name, value, TASK_META));
  const location = resolveSite(task.site) ?? task.fallbackLocation;
  return {
    $typeName: "rs.tokio.console.tasks.Task",
    id: idMessage(BigInt(task.spanId)),
    metadata: metaIdMessage(TASK_META),
    kind: tasks.Task_Kind.SPAWN,
    fields,
    parents: task.parentSpanId ? [spanIdMessage(BigInt(task.parentSpanId))] : [],
    location: location ? locationMessage(location.file, location.line, location.column) : undefined,
  };
}

function pollStats(polls: number, first: number, started: number, ended: number, busyMs: number): PollStats {
  return pollStatsMessage(BigInt(polls), ts(first), ts(started), ts(ended), durationMessage(msToNanos(busyMs)));
}

function taskStats(task: LiveTask, at: number): tasks.Stats {
  // A task in a poll right now has no last_poll_ended (console-api's rule).
  const inPoll = task.lastPollStarted > task.lastPollEnded;
  return {
    $typeName: "rs.tokio.console.tasks.Stats",
    createdAt: ts(task.createdAt),
    droppedAt: ts(task.droppedAt),
    wakes: BigInt(task.wakes),
    wakerClones: BigInt(task.wakerClones),
    wakerDrops: BigInt(task.wakerDrops),
    lastWake: ts(task.lastWake),
    selfWakes: BigInt(task.selfWakes),
    scheduledTime: durationMessage(msToNanos(task.scheduledMs)),
    pollStats: pollStats(
      task.polls,
      task.firstPoll,
      task.lastPollStarted,
      inPoll ? -1 : task.lastPollEnded,
      task.busyMs + (inPoll ? at - task.lastPollStarted : 0),
    ),
  };
}

function resourceMessage(resource: LiveResource) {
  return {
    id: { id: BigInt(resource.spanId) },
    metadata: { id: RESOURCE_META },
    concreteType: resource.concreteType,
    kind: resource.timer
      ? { kind: { case: "known" as const, value: resources.Resource_Kind_Known.TIMER } }
      : { kind: { case: "other" as const, value: "Sync" } },
    location: locationInit(resolveSite(resource.site)),
    isInternal: false,
  };
}

function resourceStats(resource: LiveResource) {
  const target = resource.target.deref();
  if (target) {
    try {
      resource.lastAttributes = target.describe();
    } catch {
      // Keep the last good attributes.
    }
  }
  let values: AttributeValues = resource.name !== undefined ? { "insight.name": resource.name, ...resource.lastAttributes } : resource.lastAttributes;
  // GC-proof evidence (docs/wire-conventions.md): only when there is some.
  if (resource.unreachable || resource.leaked > 0) {
    values = { ...values, "insight.unreachable": resource.unreachable || undefined, "insight.leaked": resource.leaked > 0 ? resource.leaked : undefined };
  }
  return { createdAt: ts(resource.createdAt), droppedAt: ts(resource.droppedAt), attributes: attributes(values, RESOURCE_META) };
}

type OpStatsInit = ReturnType<WireBuilder["opStats"]>;

/** Hands out the records of one snapshot slice, and says when the slice is full. */
export interface RecordCursor {
  next(): { readonly kind: "task" | "resource" | "op"; readonly id: number } | undefined;
}

/** Numbers each delta build (module-wide: every builder's records share the `sentIn` field). */
let buildStamp = 0;

export class WireBuilder {
  readonly metadata = new MetadataTable();
  readonly #runtime: Runtime;

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  #opMessage(op: OpRecord) {
    if (op.metaId === 0n) op.metaId = this.metadata.forAwaitSite(resolveSite(op.site));
    return { id: { id: BigInt(op.spanId) }, metadata: { id: op.metaId }, source: op.source, resourceId: { id: BigInt(op.resource.spanId) } };
  }

  /** @internal */
  opStats(op: OpRecord) {
    const location = resolveSite(op.site);
    let line: string | undefined;
    if (location) {
      line = sourceLine(location);
      if (line === undefined) {
        // Publish again once the file has been read (asynchronously).
        const runtime = this.#runtime;
        void loadSource(location.file).then(() => {
          if (sourceLine(location) !== undefined) runtime.markOp(op);
        });
      }
    }
    const values: AttributeValues = {
      "insight.reason": op.reason,
      "insight.await_line": line,
      "insight.woken_by": op.wokenBy >= 0 ? op.wokenBy : undefined,
      ...op.extra,
    };
    const done = op.droppedAt >= 0;
    return {
      createdAt: ts(op.createdAt),
      droppedAt: ts(op.droppedAt),
      taskId: op.task?.tracked ? { id: BigInt(op.task.spanId) } : undefined,
      pollStats: pollStats(done ? 2 : 1, op.createdAt, done ? op.droppedAt : op.createdAt, done ? op.droppedAt : op.createdAt, 0),
      attributes: attributes(values, op.metaId || OP_META),
    };
  }

  /**
   * The records `cursor` hands out, in full (new entity plus stats), without
   * metadata: one slice of a snapshot (snapshot-slicer.ts). The cursor decides
   * when the slice is big enough; ids forgotten since they were listed are
   * skipped.
   */
  records(cursor: RecordCursor, at: number, stamp: number): Update {
    // Messages are created here, record by record, so that the cursor's
    // clock covers the cost: create() on one big init object did all of the
    // conversion at the end, outside any budget.
    const rt = this.#runtime;
    const newTasks: tasks.Task[] = [];
    const taskStatsMap: Record<string, tasks.Stats> = {};
    const newResources: resources.Resource[] = [];
    const resourceStatsMap: Record<string, resources.Stats> = {};
    const newAsyncOps: asyncOps.AsyncOp[] = [];
    const opStatsMap: Record<string, asyncOps.Stats> = {};
    for (let next = cursor.next(); next !== undefined; next = cursor.next()) {
      const { kind, id } = next;
      if (kind === "task") {
        const task = rt.tasks.get(id);
        if (!task) continue;
        newTasks.push(create(tasks.TaskSchema, taskMessage(task)));
        taskStatsMap[String(id)] = create(tasks.StatsSchema, taskStats(task, at));
      } else if (kind === "resource") {
        const resource = rt.resources.get(id);
        if (!resource) continue;
        newResources.push(create(resources.ResourceSchema, resourceMessage(resource)));
        resourceStatsMap[String(id)] = create(resources.StatsSchema, resourceStats(resource));
      } else {
        const op = rt.ops.get(id);
        if (!op) continue;
        newAsyncOps.push(create(asyncOps.AsyncOpSchema, this.#opMessage(op)));
        opStatsMap[String(id)] = create(asyncOps.StatsSchema, this.opStats(op));
      }
    }
    return create(UpdateSchema, {
      now: ts(stamp),
      taskUpdate: { newTasks, statsUpdate: taskStatsMap },
      resourceUpdate: { newResources, statsUpdate: resourceStatsMap },
      asyncOpUpdate: { newAsyncOps, statsUpdate: opStatsMap },
    });
  }

  /**
   * Everything retained in one message, built at once: for the recording's
   * first update and tests. Consoles get it sliced (snapshot-slicer.ts) so
   * the host never stalls while a large state is built.
   */
  snapshot(): Update {
    this.#runtime.settleDeferred();
    const at = now();
    const rt = this.#runtime;
    const taskStatsMap: Record<string, ReturnType<typeof taskStats>> = {};
    const newTasks = [];
    for (const task of rt.tasks.values()) {
      newTasks.push(taskMessage(task));
      taskStatsMap[String(task.spanId)] = taskStats(task, at);
    }
    const newResources = [];
    const resourceStatsMap: Record<string, ReturnType<typeof resourceStats>> = {};
    for (const resource of rt.resources.values()) {
      newResources.push(resourceMessage(resource));
      resourceStatsMap[String(resource.spanId)] = resourceStats(resource);
    }
    const newAsyncOps = [];
    const opStatsMap: Record<string, OpStatsInit> = {};
    for (const op of rt.ops.values()) {
      newAsyncOps.push(this.#opMessage(op));
      opStatsMap[String(op.spanId)] = this.opStats(op);
    }
    return create(UpdateSchema, {
      now: ts(at),
      newMetadata: { metadata: this.metadata.all() },
      taskUpdate: { newTasks, statsUpdate: taskStatsMap },
      resourceUpdate: { newResources, statsUpdate: resourceStatsMap },
      asyncOpUpdate: { newAsyncOps, statsUpdate: opStatsMap },
    });
  }

  /** What changed since the last delta; clears the runtime's change lists. */
  delta(): Update {
    this.#runtime.settleDeferred();
    const at = now();
    const rt = this.#runtime;
    const dropped = rt.takeDropped();
    const newTasks = [];
    const taskStatsMap: Record<string, ReturnType<typeof taskStats>> = {};
    const stamp = ++buildStamp;
    for (const task of live(rt.tasks, stamp, rt.newTasks)) {
      newTasks.push(taskMessage(task));
      taskStatsMap[String(task.spanId)] = taskStats(task, at);
    }
    for (const task of live(rt.tasks, stamp, rt.dirtyTasks)) taskStatsMap[String(task.spanId)] = taskStats(task, at);
    const newResources = [];
    const resourceStatsMap: Record<string, ReturnType<typeof resourceStats>> = {};
    for (const r of live(rt.resources, stamp, rt.newResources)) {
      newResources.push(resourceMessage(r));
      resourceStatsMap[String(r.spanId)] = resourceStats(r);
    }
    for (const r of live(rt.resources, stamp, rt.dirtyResources)) resourceStatsMap[String(r.spanId)] = resourceStats(r);
    const newAsyncOps = [];
    const opStatsMap: Record<string, OpStatsInit> = {};
    for (const op of live(rt.ops, stamp, rt.newOps)) {
      newAsyncOps.push(this.#opMessage(op));
      opStatsMap[String(op.spanId)] = this.opStats(op);
    }
    for (const op of live(rt.ops, stamp, rt.dirtyOps)) opStatsMap[String(op.spanId)] = this.opStats(op);
    rt.clearDeltas();
    return create(UpdateSchema, {
      now: ts(at),
      newMetadata: { metadata: this.metadata.takePending() },
      taskUpdate: { newTasks, statsUpdate: taskStatsMap, droppedEvents: BigInt(dropped.tasks) },
      resourceUpdate: { newResources, statsUpdate: resourceStatsMap, droppedEvents: BigInt(dropped.resources) },
      asyncOpUpdate: { newAsyncOps, statsUpdate: opStatsMap, droppedEvents: BigInt(dropped.ops) },
    });
  }

  taskDetails(task: LiveTask): tasks.TaskDetails {
    this.#runtime.settleDurations();
    return create(tasks.TaskDetailsSchema, {
      taskId: { id: BigInt(task.spanId) },
      now: ts(now()),
      pollTimesHistogram: { case: "histogram", value: histogram(task.pollTimes) },
      scheduledTimesHistogram: histogram(task.scheduledTimes),
    });
  }
}

function histogram(recorder: DurationRecorder | undefined) {
  return create(tasks.DurationHistogramSchema, {
    rawHistogram: recorder ? recorder.encode() : EMPTY_HISTOGRAM,
    maxValue: BigInt(HISTOGRAM_MAX_NS),
    highOutliers: BigInt(recorder?.highOutliers ?? 0),
    highestOutlier: recorder && recorder.highOutliers > 0 ? BigInt(recorder.highestOutlier) : undefined,
  });
}

const EMPTY_HISTOGRAM = new DurationRecorder().encode();

/**
 * The still-tracked records for span ids, skipping forgotten ones and any
 * already taken in this build (`stamp`): a record can be listed as new and as
 * changed. A stamp on the record rather than a Set of ids, since the lists
 * hold every task of the interval, most of them forgotten already.
 */
function live<T extends { tracked: boolean; sentIn: number }>(map: ReadonlyMap<number, T>, stamp: number, list: readonly number[]): T[] {
  const out: T[] = [];
  for (const id of list) {
    const record = map.get(id);
    if (record === undefined || !record.tracked || record.sentIn === stamp) continue;
    record.sentIn = stamp;
    out.push(record);
  }
  return out;
}
