/**
 * Test fixtures that build real protobuf `Update`s with `create(...)`, so
 * engine tests exercise the same input path as a live connection. Not part
 * of the build (see tsconfig "exclude").
 */
import { create } from "@bufbuild/protobuf";
import {
  AttributeSchema,
  FieldSchema,
  IdSchema,
  LocationSchema,
  MetaIdSchema,
  MetadataSchema,
  RegisterMetadataSchema,
  RegisterMetadata_NewMetadataSchema,
  PollStatsSchema,
  SpanIdSchema,
  StateSchema,
  Temporality,
  UpdateSchema,
  asyncOps,
  nanosToDuration,
  nanosToTimestamp,
  resources,
  tasks,
  type Attribute,
  type Field,
  type MetaId,
  type State,
  type Update,
} from "@async-insight/protocol";

export const T0 = 1_700_000_000_000_000_000n;
export const MS = 1_000_000n;
export const S = 1_000_000_000n;

export type Value = string | bigint | boolean;

export function field(name: string, value: Value): Field {
  const v =
    typeof value === "string"
      ? { case: "strVal" as const, value }
      : typeof value === "bigint"
        ? { case: "u64Val" as const, value }
        : { case: "boolVal" as const, value };
  return create(FieldSchema, { name: { case: "strName", value: name }, value: v });
}

export function attrs(values: Record<string, Value>): Attribute[] {
  return Object.entries(values).map(([name, value]) => create(AttributeSchema, { field: field(name, value) }));
}

const ts = (ns: bigint | undefined) => (ns === undefined ? undefined : nanosToTimestamp(ns));

export interface TaskSpec {
  span: bigint;
  id?: bigint;
  name?: string;
  kind?: string;
  file?: string;
  line?: number;
  parents?: bigint[];
  fields?: Record<string, Value>;
  /** Metadata target, e.g. `tokio::task` (registered as the task's metadata). */
  target?: string;
}

export interface TaskStatsSpec {
  created?: bigint;
  dropped?: bigint;
  polls?: bigint;
  firstPoll?: bigint;
  started?: bigint;
  ended?: bigint;
  busy?: bigint;
  scheduled?: bigint;
  wakes?: bigint;
  clones?: bigint;
  drops?: bigint;
  selfWakes?: bigint;
  lastWake?: bigint;
}

export interface ResourceFixture {
  span: bigint;
  type: string;
  kind?: string;
  internal?: boolean;
  parent?: bigint;
  file?: string;
  line?: number;
}

export interface OpSpec {
  span: bigint;
  source: string;
  resource: bigint;
  parent?: bigint;
  /** Await site; registered as the op's metadata. */
  file?: string;
  line?: number;
}

/** Accumulates one Update's worth of content; `build(now)` emits it and starts afresh. */
export class UpdateBuilder {
  #newTasks: tasks.Task[] = [];
  #taskStats: Record<string, tasks.Stats> = {};
  #newResources: resources.Resource[] = [];
  #resourceStats: Record<string, resources.Stats> = {};
  #pollOps: resources.PollOp[] = [];
  #newOps: asyncOps.AsyncOp[] = [];
  #opStats: Record<string, asyncOps.Stats> = {};
  #metadata: Array<{ id: bigint; file: string; line: number; target?: string }> = [];
  #dropped = { tasks: 0n, resources: 0n, asyncOps: 0n };
  #nextMeta = 1000n;

  task(spec: TaskSpec): this {
    const fields = [field("kind", spec.kind ?? "task")];
    if (spec.id !== undefined) fields.push(field("task.id", spec.id));
    if (spec.name !== undefined) fields.push(field("task.name", spec.name));
    for (const [k, v] of Object.entries(spec.fields ?? {})) fields.push(field(k, v));
    let metadata: MetaId | undefined;
    if (spec.target !== undefined) {
      const id = this.#nextMeta++;
      this.#metadata.push({ id, file: spec.file ?? "", line: spec.line ?? 1, target: spec.target });
      metadata = create(MetaIdSchema, { id });
    }
    this.#newTasks.push(
      create(tasks.TaskSchema, {
        id: create(IdSchema, { id: spec.span }),
        metadata,
        fields,
        parents: (spec.parents ?? []).map((p) => create(SpanIdSchema, { id: p })),
        location: spec.file ? create(LocationSchema, { file: spec.file, line: spec.line ?? 1, column: 1 }) : undefined,
      }),
    );
    return this;
  }

  taskStats(span: bigint, s: TaskStatsSpec): this {
    this.#taskStats[String(span)] = create(tasks.StatsSchema, {
      createdAt: ts(s.created),
      droppedAt: ts(s.dropped),
      wakes: s.wakes ?? 0n,
      wakerClones: s.clones ?? 0n,
      wakerDrops: s.drops ?? 0n,
      selfWakes: s.selfWakes ?? 0n,
      lastWake: ts(s.lastWake),
      scheduledTime: nanosToDuration(s.scheduled ?? 0n),
      pollStats: create(PollStatsSchema, {
        polls: s.polls ?? 0n,
        firstPoll: ts(s.firstPoll ?? s.started),
        lastPollStarted: ts(s.started),
        lastPollEnded: ts(s.ended),
        busyTime: nanosToDuration(s.busy ?? 0n),
      }),
    });
    return this;
  }

  resource(spec: ResourceFixture): this {
    const kind =
      spec.kind === "Timer" ? { case: "known" as const, value: resources.Resource_Kind_Known.TIMER } : { case: "other" as const, value: spec.kind ?? "Sync" };
    this.#newResources.push(
      create(resources.ResourceSchema, {
        id: create(IdSchema, { id: spec.span }),
        concreteType: spec.type,
        kind: create(resources.Resource_KindSchema, { kind }),
        isInternal: spec.internal ?? false,
        parentResourceId: spec.parent !== undefined ? create(IdSchema, { id: spec.parent }) : undefined,
        location: spec.file ? create(LocationSchema, { file: spec.file, line: spec.line ?? 1, column: 1 }) : undefined,
      }),
    );
    return this;
  }

  resourceStats(span: bigint, values: Record<string, Value>, s: { created?: bigint; dropped?: bigint } = {}): this {
    this.#resourceStats[String(span)] = create(resources.StatsSchema, {
      createdAt: ts(s.created ?? T0),
      droppedAt: ts(s.dropped),
      attributes: attrs(values),
    });
    return this;
  }

  asyncOp(spec: OpSpec): this {
    let metadata: MetaId | undefined;
    if (spec.file) {
      const id = this.#nextMeta++;
      this.#metadata.push({ id, file: spec.file, line: spec.line ?? 1 });
      metadata = create(MetaIdSchema, { id });
    }
    this.#newOps.push(
      create(asyncOps.AsyncOpSchema, {
        id: create(IdSchema, { id: spec.span }),
        source: spec.source,
        metadata,
        resourceId: create(IdSchema, { id: spec.resource }),
        parentAsyncOpId: spec.parent !== undefined ? create(IdSchema, { id: spec.parent }) : undefined,
      }),
    );
    return this;
  }

  opStats(span: bigint, task: bigint | undefined, values: Record<string, Value> = {}, s: { created?: bigint; dropped?: bigint; polls?: bigint } = {}): this {
    this.#opStats[String(span)] = create(asyncOps.StatsSchema, {
      createdAt: ts(s.created ?? T0),
      droppedAt: ts(s.dropped),
      taskId: task !== undefined ? create(IdSchema, { id: task }) : undefined,
      pollStats: create(PollStatsSchema, { polls: s.polls ?? 1n }),
      attributes: attrs(values),
    });
    return this;
  }

  pollOp(resource: bigint, task: bigint, op: bigint, ready: boolean, name = "poll"): this {
    this.#pollOps.push(
      create(resources.PollOpSchema, {
        resourceId: create(IdSchema, { id: resource }),
        taskId: create(IdSchema, { id: task }),
        asyncOpId: create(IdSchema, { id: op }),
        isReady: ready,
        name,
      }),
    );
    return this;
  }

  dropped(d: Partial<{ tasks: bigint; resources: bigint; asyncOps: bigint }>): this {
    this.#dropped = { ...this.#dropped, ...d };
    return this;
  }

  build(now: bigint): Update {
    const update = create(UpdateSchema, {
      now: nanosToTimestamp(now),
      newMetadata: create(RegisterMetadataSchema, {
        metadata: this.#metadata.map((m) =>
          create(RegisterMetadata_NewMetadataSchema, {
            id: create(MetaIdSchema, { id: m.id }),
            metadata: create(MetadataSchema, {
              name: m.target ? "runtime.spawn" : "runtime.resource.async_op",
              target: m.target ?? "app",
              location: create(LocationSchema, { file: m.file, line: m.line, column: 5 }),
            }),
          }),
        ),
      }),
      taskUpdate: create(tasks.TaskUpdateSchema, { newTasks: this.#newTasks, statsUpdate: this.#taskStats, droppedEvents: this.#dropped.tasks }),
      resourceUpdate: create(resources.ResourceUpdateSchema, {
        newResources: this.#newResources,
        statsUpdate: this.#resourceStats,
        newPollOps: this.#pollOps,
        droppedEvents: this.#dropped.resources,
      }),
      asyncOpUpdate: create(asyncOps.AsyncOpUpdateSchema, { newAsyncOps: this.#newOps, statsUpdate: this.#opStats, droppedEvents: this.#dropped.asyncOps }),
    });
    this.#newTasks = [];
    this.#taskStats = {};
    this.#newResources = [];
    this.#resourceStats = {};
    this.#pollOps = [];
    this.#newOps = [];
    this.#opStats = {};
    this.#metadata = [];
    this.#dropped = { tasks: 0n, resources: 0n, asyncOps: 0n };
    return update;
  }
}

export function emptyUpdate(now: bigint): Update {
  return create(UpdateSchema, { now: nanosToTimestamp(now) });
}

export function pausedState(paused: boolean): State {
  return create(StateSchema, { temporality: paused ? Temporality.PAUSED : Temporality.LIVE });
}
