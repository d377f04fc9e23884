/**
 * RuntimeStore: folds the protocol's messages into tasks, resources and
 * async ops, keeps the relations and the wait-for graph current, and answers
 * the questions the UIs ask. Pure: no I/O, no timers; time is whatever the
 * updates say it is.
 */
import { Temporality, timestampToNanos, updateSections, type Metadata, type TaskStatsView, type State, type Update, type tasks } from "@async-insight/protocol";
import { WaitForGraph } from "../graph/wait-for-graph.js";
import type {
  AsyncOpRecord,
  DeadlockCycle,
  DisplayId,
  DroppedEvents,
  Freer,
  LongPoll,
  Nanos,
  ResourceRecord,
  StoreOptions,
  StuckVerdicts,
  TaskRecord,
  TimelineEntry,
  Wait,
  WakeEdge,
} from "../model.js";
import { StuckTracker } from "../evidence/stuck-tracker.js";
import { computeVerdicts } from "../evidence/verdicts.js";
import { rolesThatFree } from "../relations/owners.js";
import { freersOf, waitsOf, type EntityIndex } from "../relations/waits.js";
import { spanKeyOf, spanKeyOfText, type SpanKey } from "../private/span-key.js";
import { resolveStoreOptions, timelineCapacityFor, type ResolvedStoreOptions } from "./apply-context.js";
import type { AsyncOpEntity } from "../entities/async-op-entity.js";
import { StoreClock } from "../entities/clock.js";
import { recentActivity } from "./recent-activity.js";
import { applyOpStats, applyPollOp, applyResourceStats, newAsyncOp, newResource, settleTokioLocks, type ApplyHost } from "./apply-resources.js";
import { decodeTask } from "../entities/entity-decode.js";
import { decodeDurationHistogram, decodeLegacyHistogram } from "../entities/histograms.js";
import type { ResourceEntity } from "../entities/resource-entity.js";
import { RetentionQueue, type EndedKind } from "./retention.js";
import { NO_PARENTS, TaskEntity } from "../entities/task-entity.js";

export class RuntimeStore {
  readonly #options: ResolvedStoreOptions;
  readonly #clock = new StoreClock();
  readonly #metadata = new Map<bigint, Metadata>();
  readonly #tasks = new Map<DisplayId, TaskEntity>();
  /** Live span id (decimal string, as the stats maps key it) → task. */
  readonly #tasksBySpan = new Map<SpanKey, TaskEntity>();
  readonly #resources = new Map<DisplayId, ResourceEntity>();
  readonly #resourcesBySpan = new Map<SpanKey, ResourceEntity>();
  readonly #ops = new Map<DisplayId, AsyncOpEntity>();
  readonly #opsBySpan = new Map<SpanKey, AsyncOpEntity>();
  readonly #children = new Map<DisplayId, Set<DisplayId>>();
  readonly #wakeEdges = new Map<DisplayId, Map<DisplayId, { count: number; lastAt: Nanos | undefined }>>();
  readonly #retention = new RetentionQueue();
  readonly #longPolls: LongPoll[] = [];
  readonly #graph: WaitForGraph;
  readonly #index: EntityIndex;
  readonly #host: ApplyHost;
  readonly #dirtyTasks = new Set<TaskEntity>();
  readonly #dirtyResources = new Set<ResourceEntity>();
  readonly #stuck = new StuckTracker();
  #verdicts: { generation: number; verdicts: StuckVerdicts } | undefined = undefined;
  #dropped = { tasks: 0n, resources: 0n, asyncOps: 0n };
  #nextTaskId = 1n;
  /** notablePollNs as a number, compared against relative poll times. */
  readonly #notablePoll: number;
  #nextResourceId = 1n;
  #nextOpId = 1n;
  #generation = 0;
  #updates = 0;
  #paused = false;
  #exitedAt: Nanos | undefined = undefined;
  #exited = false;

  constructor(options?: StoreOptions) {
    this.#options = resolveStoreOptions(options);
    this.#notablePoll = Number(this.#options.notablePollNs);
    const clock = this.#clock;
    const tasks = this.#tasks;
    const resources = this.#resources;
    const ops = this.#ops;
    this.#index = {
      get now() {
        return clock.now;
      },
      taskEntity: (id) => tasks.get(id),
      resourceEntity: (id) => resources.get(id),
      asyncOpEntity: (id) => ops.get(id),
      childrenOf: (id) => this.#children.get(id) ?? [],
    };
    this.#graph = new WaitForGraph(this.#index);
    this.#host = {
      clock,
      index: this.#index,
      metadata: this.#metadata,
      tasksBySpan: this.#tasksBySpan,
      resourcesBySpan: this.#resourcesBySpan,
      opsBySpan: this.#opsBySpan,
      resources,
      ops,
      dirtyTask: (t) => this.#dirtyTasks.add(t),
      dirtyResource: (r) => this.#dirtyResources.add(r),
      ended: (at, kind, id) => this.#retention.push(clock.rel(at), kind, id),
      nextResourceId: () => this.#nextResourceId++,
      nextOpId: () => this.#nextOpId++,
      updateCount: () => this.#updates,
      wake: (waker, task, at) => this.#recordWake(waker, task, at),
    };
  }

  /** Bumped by every applied message; a UI redraws when it changes. */
  get generation(): number {
    return this.#generation;
  }
  /** `Update.now` of the latest update (ns since the epoch). */
  get now(): Nanos | undefined {
    return this.#clock.now;
  }
  /** From the latest `State`: the target stopped publishing. */
  get paused(): boolean {
    return this.#paused;
  }
  /** Cumulative `dropped_events` per kind. */
  get droppedEvents(): DroppedEvents {
    return { ...this.#dropped };
  }
  /** The program ended: `markExited` was called, or a `main`/`block_on` task completed. */
  get exited(): boolean {
    return this.#exited;
  }
  get exitedAt(): Nanos | undefined {
    return this.#exitedAt;
  }

  // ---- input ------------------------------------------------------------

  applyUpdate(update: Update): void {
    this.#generation++;
    // Section by section: a lazy update (from the live client) is decoded one element at a time.
    const sections = updateSections(update);
    const before = this.#clock.now;
    this.#clock.setNow(sections.now);
    // The pieces of one split snapshot share their `now`: they are one instant, and a
    // verdict that must hold at two updates must hold at two instants.
    if (sections.now === undefined || this.#clock.now !== before) this.#updates++;
    sections.forEachMetadata((entry) => {
      if (entry.id && entry.metadata) this.#metadata.set(entry.id.id, entry.metadata);
    });
    const tu = sections.tasks;
    const ru = sections.resources;
    const au = sections.asyncOps;
    if (tu) {
      this.#dropped.tasks += tu.droppedEvents;
      tu.forEachNew((task) => this.#newTask(task));
    }
    if (ru) {
      this.#dropped.resources += ru.droppedEvents;
      ru.forEachNew((resource) => newResource(this.#host, resource));
    }
    if (au) {
      this.#dropped.asyncOps += au.droppedEvents;
      au.forEachNew((op) => newAsyncOp(this.#host, op));
    }
    // Task stats are read as values only, so they may come as a reused view rather than messages.
    tu?.forEachStatsView((key, stats) => this.#taskStats(key, stats));
    // Op stats before poll ops: a poll op is the fresher word on which task awaits.
    au?.forEachStats((key, stats) => applyOpStats(this.#host, key, stats));
    if (ru) {
      ru.forEachPollOp((pollOp) => applyPollOp(this.#host, pollOp));
      // Resource stats after poll ops: an "unlocked" state ends a holder inferred this update.
      ru.forEachStats((key, stats) => applyResourceStats(this.#host, key, stats));
    }
    settleTokioLocks(this.#host);
    this.#refreshGraph();
    this.#graph.afterUpdate(this.#updates, this.#clock.now);
    if (!this.#paused) this.#prune();
  }

  /** Histograms from `WatchTaskDetails`; `task_id` is the span id. */
  applyTaskDetails(details: tasks.TaskDetails): void {
    this.#generation++;
    const task = details.taskId ? this.#tasksBySpan.get(spanKeyOf(details.taskId.id)) : undefined;
    if (!task) return;
    const poll = details.pollTimesHistogram;
    task.histograms = {
      at: timestampToNanos(details.now),
      pollTimes:
        poll.case === "histogram" ? decodeDurationHistogram(poll.value) : poll.case === "legacyHistogram" ? decodeLegacyHistogram(poll.value) : undefined,
      scheduledTimes: decodeDurationHistogram(details.scheduledTimesHistogram),
    };
  }

  applyState(state: State): void {
    this.#generation++;
    this.#paused = state.temporality === Temporality.PAUSED;
  }

  /** Tells the store the program has ended (stream closed for good, recording over). */
  markExited(at?: Nanos): void {
    this.#generation++;
    this.#exited = true;
    this.#exitedAt = at ?? this.#clock.now;
  }

  #newTask(task: tasks.Task): void {
    const spanId = task.id?.id;
    if (spanId === undefined) return;
    const spanKey = spanKeyOf(spanId);
    const metadata = task.metadata ? this.#metadata.get(task.metadata.id) : undefined;
    const decoded = decodeTask(task, metadata);
    let entity = decoded.stableId !== undefined ? this.#tasks.get(decoded.stableId) : this.#tasksBySpan.get(spanKey);
    if (!entity) {
      let id = decoded.stableId;
      if (id === undefined) {
        while (this.#tasks.has(this.#nextTaskId)) this.#nextTaskId++;
        id = this.#nextTaskId++;
      }
      entity = new TaskEntity(id, spanId, this.#clock);
      this.#tasks.set(id, entity);
    }
    // A span id now names this task; whatever it named before has closed.
    entity.spanKey = spanKey;
    this.#tasksBySpan.set(spanKey, entity);
    entity.name = decoded.name;
    entity.kind = decoded.kind;
    entity.target = metadata?.target;
    entity.fields = decoded.fields;
    entity.location = decoded.location;
    entity.sizeBytes = decoded.sizeBytes;
    entity.originalSizeBytes = decoded.originalSizeBytes;
    const parents: DisplayId[] = [];
    for (const p of task.parents) {
      const parent = this.#tasksBySpan.get(spanKeyOf(p.id));
      if (parent && parent !== entity) parents.push(parent.id);
    }
    entity.parents = parents.length > 0 ? parents : NO_PARENTS;
    for (const parent of parents) {
      let set = this.#children.get(parent);
      if (!set) this.#children.set(parent, (set = new Set()));
      set.add(entity.id);
    }
  }

  #taskStats(key: string, stats: TaskStatsView): void {
    const task = this.#tasksBySpan.get(spanKeyOfText(key));
    if (!task) return; // tokio-console also ignores stats for tasks it never saw created
    const wasCompleted = task.completed;
    const finished = task.applyStats(stats, timelineCapacityFor(this.#options, this.#tasks.size));
    if (finished && finished.end - finished.start >= this.#notablePoll) {
      const clock = this.#clock;
      this.#longPolls.push({ task: task.id, start: clock.abs(finished.start)!, end: clock.abs(finished.end)! });
      if (this.#longPolls.length > this.#options.notablePollCapacity) this.#longPolls.shift();
    }
    this.#stuck.observe(task, this.#updates);
    if (!wasCompleted && task.completed) {
      const droppedAt = task.droppedAt!;
      this.#retention.push(task.dropped, "task", task.id);
      if (task.kind === "main" || task.kind === "block_on") {
        this.#exited = true;
        this.#exitedAt ??= droppedAt;
      }
    }
    if (task.graphed || (task.ops !== undefined && task.ops.size > 0)) this.#dirtyTasks.add(task);
  }

  #recordWake(waker: DisplayId, task: TaskEntity, at: Nanos | undefined): void {
    let edges = this.#wakeEdges.get(task.id);
    if (!edges) this.#wakeEdges.set(task.id, (edges = new Map()));
    const edge = edges.get(waker);
    if (edge) {
      edge.count++;
      edge.lastAt = at ?? edge.lastAt;
    } else edges.set(waker, { count: 1, lastAt: at });
  }

  #refreshGraph(): void {
    for (const resource of this.#dirtyResources) this.#graph.refreshResource(resource);
    for (const task of this.#dirtyTasks) {
      this.#graph.refreshTask(task);
      task.graphed = task.state === "idle" && task.ops !== undefined && task.ops.size > 0;
    }
    this.#dirtyTasks.clear();
    this.#dirtyResources.clear();
  }

  #prune(): void {
    const now = this.#clock.now;
    const retain = this.#options.retainForNs;
    if (now === undefined || retain === null) return;
    this.#retention.drain(this.#clock.rel(now - retain), (kind, id) => this.#remove(kind, id));
  }

  #remove(kind: EndedKind, id: DisplayId): void {
    if (kind === "task") {
      const task = this.#tasks.get(id);
      if (!task?.completed) return;
      this.#tasks.delete(id);
      this.#stuck.forget(task);
      if (this.#tasksBySpan.get(task.spanKey) === task) this.#tasksBySpan.delete(task.spanKey);
      for (const parent of task.parents) this.#children.get(parent)?.delete(id);
      this.#children.delete(id);
      this.#wakeEdges.delete(id);
      this.#graph.removeTask(id);
    } else if (kind === "resource") {
      const resource = this.#resources.get(id);
      if (!resource || resource.droppedAt === undefined) return;
      this.#resources.delete(id);
      if (this.#resourcesBySpan.get(resource.spanKey) === resource) this.#resourcesBySpan.delete(resource.spanKey);
      this.#graph.removeResource(id);
    } else {
      const op = this.#ops.get(id);
      if (!op || op.droppedAt === undefined) return;
      this.#ops.delete(id);
      if (this.#opsBySpan.get(op.spanKey) === op) this.#opsBySpan.delete(op.spanKey);
    }
  }

  // ---- queries ----------------------------------------------------------

  tasks(): TaskRecord[] {
    return [...this.#tasks.values()];
  }
  task(id: DisplayId): TaskRecord | undefined {
    return this.#tasks.get(id);
  }
  /** The live task a span id currently names (for `WatchTaskDetails`). */
  taskBySpanId(spanId: bigint): TaskRecord | undefined {
    return this.#tasksBySpan.get(spanKeyOf(spanId));
  }
  get taskCount(): number {
    return this.#tasks.size;
  }
  resources(): ResourceRecord[] {
    return [...this.#resources.values()];
  }
  resource(id: DisplayId): ResourceRecord | undefined {
    return this.#resources.get(id);
  }
  asyncOps(): AsyncOpRecord[] {
    return [...this.#ops.values()];
  }
  asyncOp(id: DisplayId): AsyncOpRecord | undefined {
    return this.#ops.get(id);
  }
  /** Async ops on a resource (or on its internal children), newest last. */
  asyncOpsOf(resource: DisplayId): AsyncOpRecord[] {
    const out: AsyncOpRecord[] = [];
    for (const op of this.#ops.values()) {
      if (op.resource === resource) out.push(op);
      else if (op.resource !== undefined && this.#resources.get(op.resource)?.parent === resource) out.push(op);
    }
    return out;
  }
  metadata(id: bigint): Metadata | undefined {
    return this.#metadata.get(id);
  }

  /** What a task is waiting on, in words: task → async op → resource. */
  waitsOf(task: DisplayId): Wait[] {
    const entity = this.#tasks.get(task);
    return entity ? waitsOf(this.#index, entity) : [];
  }
  /** Whether the task awaits at least one pending async op (cheap: no Wait objects built). */
  hasPendingWait(task: DisplayId): boolean {
    const ops = this.#tasks.get(task)?.ops;
    return ops !== undefined && ops.size > 0;
  }
  /** Tasks that can free a resource, by role; inferred ones are marked. */
  freersOf(resource: DisplayId): Freer[] {
    const entity = this.#resources.get(resource);
    return entity ? freersOf(entity) : [];
  }
  /** Waits of every task currently waiting on this resource. */
  waitersOf(resource: DisplayId): Wait[] {
    const out: Wait[] = [];
    for (const task of this.#tasks.values()) {
      if (!task.ops || task.ops.size === 0) continue;
      for (const wait of waitsOf(this.#index, task)) if (wait.resource?.id === resource) out.push(wait);
    }
    return out;
  }
  /** The spawning task(s), from `Task.parents`. */
  spawnedBy(task: DisplayId): DisplayId[] {
    return [...(this.#tasks.get(task)?.parents ?? [])];
  }
  /** Tasks this task spawned that the store still holds. */
  children(task: DisplayId): DisplayId[] {
    return [...(this.#children.get(task) ?? [])];
  }
  /** Who woke this task (from `insight.woken_by`); waker 0n = from outside the runtime. */
  wokenBy(task: DisplayId): WakeEdge[] {
    const edges = this.#wakeEdges.get(task);
    if (!edges) return [];
    return [...edges].map(([waker, e]) => ({ waker, task, count: e.count, lastAt: e.lastAt }));
  }
  /** Every woken-by edge in the store. */
  wakeEdges(): WakeEdge[] {
    const out: WakeEdge[] = [];
    for (const task of this.#wakeEdges.keys()) out.push(...this.wokenBy(task));
    return out;
  }
  /** The task's bounded observation log, oldest first. */
  timeline(task: DisplayId): TimelineEntry[] {
    const entity = this.#tasks.get(task);
    const epoch = this.#clock.epoch;
    return entity?.timeline && epoch !== undefined ? entity.timeline.entries(epoch) : [];
  }
  /**
   * Busy fraction per bucket over the last `windowNs` (oldest first), from
   * observed polls: a sparkline. Polls between updates that were not
   * observed individually are missing, so this is a lower bound.
   */
  recentActivity(task: DisplayId, windowNs: Nanos = 10_000_000_000n, buckets = 20): number[] {
    return recentActivity(this.#tasks.get(task)?.timeline, this.#clock, windowNs, buckets);
  }
  /** Polls at or above `notablePollNs`, oldest first. */
  longPolls(): LongPoll[] {
    return [...this.#longPolls];
  }
  /**
   * Deadlocks that certainly hold (`deadlock-cycle`): closed wait-for cycles
   * whose every side's freers are certain, and groups of tasks proven stuck,
   * each held over two consecutive updates.
   */
  cycles(): DeadlockCycle[] {
    return [...this.verdicts().cycles];
  }
  /** Closed cycles through ends only known to be used by their members (`likely-deadlock`). */
  likelyCycles(): DeadlockCycle[] {
    return [...this.verdicts().likely];
  }
  /** Every stuck verdict, computed once per generation; lints and views read these. */
  verdicts(): StuckVerdicts {
    const generation = this.#generation;
    if (this.#verdicts?.generation === generation) return this.#verdicts.verdicts;
    const updates = this.#updates;
    const verdicts = computeVerdicts({
      index: this.#index,
      graphCycles: this.#graph.cycles(updates),
      stuck: this.#stuck.confirmed(updates),
      stuckIds: this.#stuck.ids(),
      waiting: [...this.#tasks.values()].filter((t) => t.ops !== undefined && t.ops.size > 0),
      updates,
    });
    this.#verdicts = { generation, verdicts };
    return verdicts;
  }
  /** Whether the task is certainly stuck now: idle, polled, and no waker of it exists (GC proof or lost waker). */
  certainlyStuck(task: DisplayId): boolean {
    return this.#tasks.get(task)?.certainlyStuck ?? false;
  }
  /** The tasks that can end this wait (the roles that free its side), each with its certainty and label. */
  waitFreers(wait: Wait): Freer[] {
    const resource = wait.resource ? this.#resources.get(wait.resource.id) : undefined;
    if (!resource) return [];
    const roles = rolesThatFree(wait.direction, wait.asyncOp.source);
    return freersOf(resource).filter((f) => roles.has(f.role));
  }
  /** Closed cycles seen once and awaiting confirmation by the next update. */
  get pendingCycleCount(): number {
    return this.#graph.pendingCount();
  }
  /** The time origin of the stored timelines (first `now` or timestamp seen). */
  get epoch(): Nanos | undefined {
    return this.#clock.epoch;
  }
}
