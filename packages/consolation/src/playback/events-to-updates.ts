/**
 * Turns normalized runtime events into console protocol `Update`s, doing what
 * console-subscriber's aggregator does live: tasks, resources and async ops
 * with their metadata, per-task poll and waker stats, resource attributes with
 * `add`/`sub`/`override` semantics, and poll ops. Updates are cut every
 * `intervalNs` of *trace* time and carry only what changed, so the engine's
 * store cannot tell a replayed trace from a live target.
 *
 * Limits, inherited from what the input says:
 * - every enter/exit pair counts as a poll, as console-subscriber counts it;
 * - a poll op names a task only when exactly one task was being polled, since
 *   text traces do not say which thread emitted it;
 * - fmt/JSON input has no span ids; ids are hashed from the span's fields.
 */
import { create } from "@bufbuild/protobuf";
import {
  asyncOps,
  PollStatsSchema,
  type RegisterMetadata_NewMetadata,
  IdSchema,
  Metadata_Kind,
  Metadata_Level,
  MetadataSchema,
  MetaIdSchema,
  nanosToDuration,
  nanosToTimestamp,
  RegisterMetadata_NewMetadataSchema,
  RegisterMetadataSchema,
  resources,
  tasks,
  UpdateSchema,
  type Update,
} from "@async-insight/protocol";
import { innermostTaskSpan, type RuntimeEvent, type ScopeSpan, type StateAttribute } from "../trace-formats/runtime-event.js";
import { applyAttribute, type AttributeValue } from "./attribute-ops.js";
import { attributesOf, location, protocolFields } from "./trace-fields.js";

export const DEFAULT_INTERVAL_NS = 100_000_000n; // 100 ms of trace time per Update

/** Span ids as protocol ids: decimal ids as they are, synthetic ones hashed to 53 bits. */
export function protocolId(spanId: string): bigint {
  if (/^\d+$/.test(spanId)) return BigInt(spanId);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < spanId.length; i++) h = ((h ^ BigInt(spanId.charCodeAt(i))) * 0x100000001b3n) & 0x1fffffffffffffn;
  return h === 0n ? 1n : h;
}

interface PollStatsState {
  polls: bigint;
  firstPoll?: bigint;
  lastStarted?: bigint;
  lastEnded?: bigint;
  busy: bigint;
  depth: number;
}

interface TaskState {
  created: bigint;
  dropped?: bigint;
  wakes: bigint;
  clones: bigint;
  drops: bigint;
  selfWakes: bigint;
  lastWake?: bigint;
  scheduled: bigint;
  poll: PollStatsState;
}

const newPollStats = (): PollStatsState => ({ polls: 0n, busy: 0n, depth: 0 });

export class EventsToUpdates {
  readonly #metadata = new Map<string, bigint>();
  #pendingMetadata: RegisterMetadata_NewMetadata[] = [];
  readonly #tasks = new Map<string, TaskState>();
  readonly #resources = new Map<string, { created: bigint; dropped?: bigint; attributes: Map<string, AttributeValue> }>();
  readonly #ops = new Map<string, { created: bigint; dropped?: bigint; task?: string; poll: PollStatsState; attributes: Map<string, AttributeValue> }>();
  #newTasks: tasks.Task[] = [];
  #newResources: resources.Resource[] = [];
  #newOps: asyncOps.AsyncOp[] = [];
  #newPollOps: resources.PollOp[] = [];
  readonly #dirty = { tasks: new Set<string>(), resources: new Set<string>(), ops: new Set<string>() };
  #now = 0n;
  #lastEmit: bigint | undefined;

  constructor(
    private readonly emit: (update: Update) => void,
    private readonly intervalNs: bigint = DEFAULT_INTERVAL_NS,
  ) {}

  event(event: RuntimeEvent): void {
    if (event.atNs !== undefined && event.atNs > this.#now) this.#now = event.atNs;
    const at = this.#now;
    if (this.#lastEmit !== undefined && at - this.#lastEmit >= this.intervalNs) this.flush();
    this.#lastEmit ??= at;
    switch (event.type) {
      case "span":
        this.#span(event.phase, event.span, event.scope, at);
        break;
      case "waker":
        this.#waker(event, at);
        break;
      case "poll-op":
        this.#pollOp(event.scope, event.opName, event.isReady);
        break;
      case "state-update":
        this.#stateUpdate(event.scope, event.target, event.attributes);
        break;
      case "log":
        break;
    }
  }

  #metaId(span: ScopeSpan): bigint {
    const key = `${span.name}|${span.fields["loc.file"] ?? ""}:${span.fields["loc.line"] ?? ""}`;
    let id = this.#metadata.get(key);
    if (id === undefined) {
      id = BigInt(this.#metadata.size + 1);
      this.#metadata.set(key, id);
      const fieldNames = Object.keys(span.fields);
      this.#pendingMetadata.push(
        create(RegisterMetadata_NewMetadataSchema, {
          id: create(MetaIdSchema, { id }),
          metadata: create(MetadataSchema, {
            name: span.name,
            target: span.kind === "task" ? "tokio::task" : "runtime::resource",
            kind: Metadata_Kind.SPAN,
            level: Metadata_Level.TRACE,
            fieldNames,
            ...(location(span.fields) ? { location: location(span.fields)! } : {}),
          }),
        }),
      );
    }
    return id;
  }

  #span(phase: "new" | "enter" | "exit" | "close", span: ScopeSpan, scope: readonly ScopeSpan[], at: bigint): void {
    const id = span.id;
    if (span.kind === "task") {
      let task = this.#tasks.get(id);
      if (!task) {
        task = { created: at, wakes: 0n, clones: 0n, drops: 0n, selfWakes: 0n, scheduled: 0n, poll: newPollStats() };
        this.#tasks.set(id, task);
        const loc = location(span.fields);
        this.#newTasks.push(
          create(tasks.TaskSchema, {
            id: create(IdSchema, { id: protocolId(id) }),
            metadata: create(MetaIdSchema, { id: this.#metaId(span) }),
            kind: span.fields["kind"] === "blocking" ? tasks.Task_Kind.BLOCKING : tasks.Task_Kind.SPAWN,
            fields: protocolFields(span.fields),
            ...(loc ? { location: loc } : {}),
          }),
        );
      }
      if (phase === "enter" && task.poll.depth === 0) {
        // Scheduled time runs from the later of the last wake and the last poll's end.
        const from = maxDefined(task.lastWake, task.poll.lastEnded) ?? task.created;
        if (task.lastWake !== undefined && (task.poll.lastStarted === undefined || task.lastWake > task.poll.lastStarted) && at > from)
          task.scheduled += at - from;
      }
      this.#pollPhase(task.poll, phase, at);
      if (phase === "close") task.dropped = at;
      this.#dirty.tasks.add(id);
    } else if (span.kind === "resource") {
      let res = this.#resources.get(id);
      if (!res) {
        res = { created: at, attributes: new Map() };
        this.#resources.set(id, res);
        const parent = innermost(scope, "resource", id);
        const kindText = String(span.fields["kind"] ?? "");
        const loc = location(span.fields);
        this.#newResources.push(
          create(resources.ResourceSchema, {
            id: create(IdSchema, { id: protocolId(id) }),
            metadata: create(MetaIdSchema, { id: this.#metaId(span) }),
            concreteType: String(span.fields["concrete_type"] ?? ""),
            kind: create(resources.Resource_KindSchema, {
              kind: kindText === "timer" ? { case: "known", value: resources.Resource_Kind_Known.TIMER } : { case: "other", value: kindText },
            }),
            ...(loc ? { location: loc } : {}),
            ...(parent ? { parentResourceId: create(IdSchema, { id: protocolId(parent.id) }) } : {}),
            isInternal: span.fields["is_internal"] === true,
          }),
        );
      }
      if (phase === "close") res.dropped = at;
      this.#dirty.resources.add(id);
    } else if (span.kind === "async-op") {
      let op = this.#ops.get(id);
      if (!op) {
        op = { created: at, poll: newPollStats(), attributes: new Map() };
        this.#ops.set(id, op);
        const resource = innermost(scope, "resource");
        const parentOp = innermost(scope, "async-op", id);
        this.#newOps.push(
          create(asyncOps.AsyncOpSchema, {
            id: create(IdSchema, { id: protocolId(id) }),
            metadata: create(MetaIdSchema, { id: this.#metaId(span) }),
            source: String(span.fields["source"] ?? ""),
            ...(resource ? { resourceId: create(IdSchema, { id: protocolId(resource.id) }) } : {}),
            ...(parentOp ? { parentAsyncOpId: create(IdSchema, { id: protocolId(parentOp.id) }) } : {}),
          }),
        );
      }
      this.#pollPhase(op.poll, phase, at);
      if (phase === "close") op.dropped = at;
      this.#dirty.ops.add(id);
    }
  }

  #pollPhase(poll: PollStatsState, phase: string, at: bigint): void {
    if (phase === "enter" && poll.depth++ === 0) {
      poll.polls++;
      poll.firstPoll ??= at;
      poll.lastStarted = at;
    } else if (phase === "exit" && poll.depth > 0 && --poll.depth === 0) {
      poll.lastEnded = at;
      if (poll.lastStarted !== undefined) poll.busy += at - poll.lastStarted;
    }
  }

  #waker(event: Extract<RuntimeEvent, { type: "waker" }>, at: bigint): void {
    const task = this.#tasks.get(event.taskSpanId);
    if (!task) return;
    switch (event.op) {
      case "clone":
        task.clones++;
        break;
      case "drop":
        task.drops++;
        break;
      case "wake":
      case "wake_by_ref": {
        task.wakes++;
        if (event.op === "wake") task.drops++;
        task.lastWake = at;
        const self = event.selfWake ?? innermostTaskSpan(event.scope)?.id === event.taskSpanId;
        if (self) task.selfWakes++;
        break;
      }
    }
    this.#dirty.tasks.add(event.taskSpanId);
  }

  /** The task being polled, when exactly one is (text traces do not say which thread logged). */
  #runningTask(scope: readonly ScopeSpan[]): string | undefined {
    const inScope = innermostTaskSpan(scope);
    if (inScope) return inScope.id;
    let found: string | undefined;
    for (const [id, t] of this.#tasks) {
      if (t.poll.depth > 0) {
        if (found !== undefined) return undefined;
        found = id;
      }
    }
    return found;
  }

  #pollOp(scope: readonly ScopeSpan[], name: string, isReady: boolean): void {
    const resource = innermost(scope, "resource");
    const op = innermost(scope, "async-op");
    const task = this.#runningTask(scope);
    if (op) {
      const state = this.#ops.get(op.id);
      if (state && task) {
        state.task = task;
        this.#dirty.ops.add(op.id);
      }
    }
    this.#newPollOps.push(
      create(resources.PollOpSchema, {
        name,
        isReady,
        ...(resource ? { resourceId: create(IdSchema, { id: protocolId(resource.id) }) } : {}),
        ...(op ? { asyncOpId: create(IdSchema, { id: protocolId(op.id) }) } : {}),
        ...(task ? { taskId: create(IdSchema, { id: protocolId(task) }) } : {}),
      }),
    );
  }

  #stateUpdate(scope: readonly ScopeSpan[], target: "resource" | "async-op", attributes: readonly StateAttribute[]): void {
    const span = innermost(scope, target);
    if (!span) return;
    const state = target === "resource" ? this.#resources.get(span.id) : this.#ops.get(span.id);
    if (!state) return;
    for (const attribute of attributes) applyAttribute(state.attributes, attribute);
    (target === "resource" ? this.#dirty.resources : this.#dirty.ops).add(span.id);
    // tokio's public Semaphore shows its inner batch semaphore's permits.
    if (target === "resource") {
      for (const outer of scope) {
        if (outer.kind === "resource" && outer.id !== span.id && outer.fields["inherits_child_attrs"] === true) {
          const parent = this.#resources.get(outer.id);
          if (parent) {
            for (const attribute of attributes) applyAttribute(parent.attributes, attribute);
            this.#dirty.resources.add(outer.id);
          }
        }
      }
    }
  }

  /** Emits one Update with everything new or changed since the last one (nothing if nothing changed). */
  flush(): void {
    const dirty = this.#dirty;
    if (
      !this.#pendingMetadata.length &&
      !this.#newTasks.length &&
      !this.#newResources.length &&
      !this.#newOps.length &&
      !this.#newPollOps.length &&
      !dirty.tasks.size &&
      !dirty.resources.size &&
      !dirty.ops.size
    )
      return;
    const taskStats: Record<string, tasks.Stats> = {};
    for (const id of dirty.tasks) taskStats[protocolId(id).toString()] = this.#taskStats(this.#tasks.get(id)!);
    const resourceStats: Record<string, resources.Stats> = {};
    for (const id of dirty.resources) {
      const r = this.#resources.get(id)!;
      resourceStats[protocolId(id).toString()] = create(resources.StatsSchema, {
        createdAt: nanosToTimestamp(r.created),
        ...(r.dropped !== undefined ? { droppedAt: nanosToTimestamp(r.dropped) } : {}),
        attributes: attributesOf(r.attributes),
      });
    }
    const opStats: Record<string, asyncOps.Stats> = {};
    for (const id of dirty.ops) {
      const o = this.#ops.get(id)!;
      opStats[protocolId(id).toString()] = create(asyncOps.StatsSchema, {
        createdAt: nanosToTimestamp(o.created),
        ...(o.dropped !== undefined ? { droppedAt: nanosToTimestamp(o.dropped) } : {}),
        ...(o.task !== undefined ? { taskId: create(IdSchema, { id: protocolId(o.task) }) } : {}),
        pollStats: pollStats(o.poll),
        attributes: attributesOf(o.attributes),
      });
    }
    this.emit(
      create(UpdateSchema, {
        now: nanosToTimestamp(this.#now),
        ...(this.#pendingMetadata.length ? { newMetadata: create(RegisterMetadataSchema, { metadata: this.#pendingMetadata }) } : {}),
        taskUpdate: create(tasks.TaskUpdateSchema, { newTasks: this.#newTasks, statsUpdate: taskStats }),
        resourceUpdate: create(resources.ResourceUpdateSchema, { newResources: this.#newResources, statsUpdate: resourceStats, newPollOps: this.#newPollOps }),
        asyncOpUpdate: create(asyncOps.AsyncOpUpdateSchema, { newAsyncOps: this.#newOps, statsUpdate: opStats }),
      }),
    );
    this.#pendingMetadata = [];
    this.#newTasks = [];
    this.#newResources = [];
    this.#newOps = [];
    this.#newPollOps = [];
    dirty.tasks.clear();
    dirty.resources.clear();
    dirty.ops.clear();
    this.#lastEmit = this.#now;
    // Closed entities never change again; forget them so memory follows live spans only.
    for (const [id, t] of this.#tasks) if (t.dropped !== undefined) this.#tasks.delete(id);
    for (const [id, r] of this.#resources) if (r.dropped !== undefined) this.#resources.delete(id);
    for (const [id, o] of this.#ops) if (o.dropped !== undefined) this.#ops.delete(id);
  }

  #taskStats(t: TaskState): tasks.Stats {
    return create(tasks.StatsSchema, {
      createdAt: nanosToTimestamp(t.created),
      ...(t.dropped !== undefined ? { droppedAt: nanosToTimestamp(t.dropped) } : {}),
      wakes: t.wakes,
      wakerClones: t.clones,
      wakerDrops: t.drops,
      ...(t.lastWake !== undefined ? { lastWake: nanosToTimestamp(t.lastWake) } : {}),
      pollStats: pollStats(t.poll),
      selfWakes: t.selfWakes,
      scheduledTime: nanosToDuration(t.scheduled),
    });
  }
}

function pollStats(p: PollStatsState) {
  return create(PollStatsSchema, {
    polls: p.polls,
    ...(p.firstPoll !== undefined ? { firstPoll: nanosToTimestamp(p.firstPoll) } : {}),
    ...(p.lastStarted !== undefined ? { lastPollStarted: nanosToTimestamp(p.lastStarted) } : {}),
    // Absent while a poll is in progress, as on the wire.
    ...(p.lastEnded !== undefined && p.depth === 0 ? { lastPollEnded: nanosToTimestamp(p.lastEnded) } : {}),
    busyTime: nanosToDuration(p.busy),
  });
}

function maxDefined(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function innermost(scope: readonly ScopeSpan[], kind: ScopeSpan["kind"], not?: string): ScopeSpan | undefined {
  for (let i = scope.length - 1; i >= 0; i--) if (scope[i]!.kind === kind && scope[i]!.id !== not) return scope[i];
  return undefined;
}
