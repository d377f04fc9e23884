/**
 * The live registry behind `init()`: every task, resource and wait, what
 * changed since the last publish, and the bounded buffer of new entities.
 * While no runtime is installed (`runtime === undefined`), primitives and
 * `spawn` skip all of this.
 */
import { captureSite, type Site } from "./callsite.js";
import { now } from "./clock.js";
import type { ResolvedOptions } from "./config.js";
import { DurationRecorder } from "./histogram.js";
import { OpRecord, ResourceRecord, TaskRecord, type Describable, type FieldValue, type TaskKind } from "./records.js";
import { currentTaskRecord } from "./task-context.js";

/** Closed entities waiting for retention to expire, oldest first. */
class ClosedQueue<T extends { droppedAt: number }> {
  #items: T[] = [];
  #head = 0;
  push(item: T): void {
    this.#items.push(item);
  }
  get size(): number {
    return this.#items.length - this.#head;
  }
  /** Removes items closed before `cutoff`, or the oldest while over `cap`. */
  expire(cutoff: number, cap: number, remove: (item: T) => void): void {
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      if (item.droppedAt >= cutoff && this.size <= cap) break;
      remove(item);
      this.#items[this.#head++] = undefined as unknown as T;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** Closed tasks (resources, waits) remembered for consoles, per kind. */
export const MAX_CLOSED_RETAINED = 10_000;

export interface DroppedCounts {
  tasks: number;
  resources: number;
  ops: number;
}

export class Runtime {
  readonly options: ResolvedOptions;
  #nextSpanId = 1;
  #nextTaskId = 1;

  readonly tasks = new Map<number, TaskRecord>();
  readonly resources = new Map<number, ResourceRecord>();
  readonly ops = new Map<number, OpRecord>();

  /**
   * Span ids of entities created (or changed) since the last publish; ids
   * rather than records, so that a short-lived task forgotten at completion
   * is garbage at once instead of surviving into the old generation.
   */
  newTasks: number[] = [];
  newResources: number[] = [];
  newOps: number[] = [];
  dirtyTasks: number[] = [];
  dirtyResources: number[] = [];
  dirtyOps: number[] = [];
  /** A console is connected: drops are counted for it. */
  watching = false;
  #intervalStart = 0;
  #shortTasks = 0;
  #shortOps = 0;
  readonly dropped: DroppedCounts = { tasks: 0, resources: 0, ops: 0 };

  readonly #closedTasks = new ClosedQueue<TaskRecord>();
  readonly #closedResources = new ClosedQueue<ResourceRecord>();
  readonly #closedOps = new ClosedQueue<OpRecord>();
  readonly #finalizer = new FinalizationRegistry<ResourceRecord>((record) => this.dropResource(record));

  mainTask: TaskRecord | undefined;
  /** Whether poll and scheduled durations go into histograms (a console is watching, or deep mode). */
  recordHistograms = false;
  /** Spawn sites by task name, when not in deep mode (bounded). */
  readonly #sitesByName = new Map<string, Site>();
  readonly #waitSites = new Map<string, Site>();
  #deferred: { settle(): void }[] = [];

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.recordHistograms = options.deep;
  }

  /**
   * The spawn site for a task named `name`. A stack capture costs a few
   * microseconds, too much for every request's task, so outside deep mode
   * the first capture per name is reused.
   */
  spawnSite(name: string, below: Function): Site {
    if (this.options.deep) return captureSite(below);
    let site = this.#sitesByName.get(name);
    if (site === undefined) {
      site = captureSite(below);
      if (this.#sitesByName.size < 4096) this.#sitesByName.set(name, site);
    }
    return site;
  }

  #newSpanId(): number {
    return this.#nextSpanId++;
  }

  #admit<T extends { tracked: boolean; spanId: number }>(list: number[], record: T, kind: keyof DroppedCounts): void {
    if (list.length >= this.options.eventBufferCapacity) {
      record.tracked = false;
      this.dropped[kind]++;
      return;
    }
    list.push(record.spanId);
  }

  /**
   * Tasks and waits that begin and end within one publish interval are the
   * bulk of a busy service (a task per request) and the most expensive part of
   * an update to encode. Past `shortLivedPerInterval` of them per interval
   * they are forgotten when they end, and counted as dropped while a console
   * watches; consoles still see every live task and every wait that lasted.
   */
  #shedAtEnd(record: { createdAt: number; tracked: boolean }, kind: "tasks" | "ops"): boolean {
    if (this.options.deep || record.createdAt < this.#intervalStart) return false;
    const count = kind === "tasks" ? ++this.#shortTasks : ++this.#shortOps;
    if (count <= this.options.shortLivedPerInterval) return false;
    record.tracked = false;
    if (this.watching) this.dropped[kind]++;
    return true;
  }

  // --- tasks ---------------------------------------------------------------

  createTask(name: string, kind: TaskKind, fields: Readonly<Record<string, FieldValue>>, site: Site | undefined, parent = currentTaskRecord(), at = now()): TaskRecord {
    const record = new TaskRecord(this.#newSpanId(), this.#nextTaskId++, name, kind, parent?.tracked ? parent.spanId : 0, fields, site, at);
    this.#admit(this.newTasks, record, "tasks");
    if (record.tracked) this.tasks.set(record.spanId, record);
    return record;
  }

  completeTask(task: TaskRecord): void {
    if (task.droppedAt >= 0) return;
    task.droppedAt = now();
    task.wakerDrops = task.wakerClones;
    if (!task.tracked) return;
    if (this.#shedAtEnd(task, "tasks")) {
      this.tasks.delete(task.spanId);
      return;
    }
    this.#closedTasks.push(task);
    this.markTask(task);
  }

  markTask(task: TaskRecord): void {
    if (!task.dirty && task.tracked) {
      task.dirty = true;
      this.dirtyTasks.push(task.spanId);
    }
  }

  /** One poll: a synchronous run of the task's code from `start` to `end`. */
  poll(task: TaskRecord, start: number, end: number): void {
    if (!task.tracked || task.droppedAt >= 0) return;
    const readyAt = Math.max(task.lastWake, task.lastPollEnded, task.createdAt);
    if (task.lastWake <= task.lastPollEnded && task.polls > 0) {
      // A promise continuation we did not see being woken: count the wake at
      // the poll, from outside what insight observes.
      task.wakes++;
      task.lastWake = start;
    } else if (start > readyAt) {
      const scheduled = start - readyAt;
      task.scheduledMs += scheduled;
      if (this.recordHistograms) (task.scheduledTimes ??= new DurationRecorder()).record(scheduled * 1e6);
    }
    if (task.polls === 0) task.firstPoll = start;
    task.polls++;
    task.lastPollStarted = start;
    task.lastPollEnded = end;
    task.busyMs += end - start;
    if (this.recordHistograms) (task.pollTimes ??= new DurationRecorder()).record((end - start) * 1e6);
    this.markTask(task);
  }

  /** `task` became runnable because `waker` (a task, or nobody: outside the runtime) completed its wait. */
  wake(task: TaskRecord, waker: TaskRecord | undefined): void {
    if (!task.tracked) return;
    task.wakes++;
    task.wakerDrops++;
    if (waker === task) task.selfWakes++;
    task.lastWake = now();
    this.markTask(task);
  }

  // --- resources -----------------------------------------------------------

  /** `site` overrides the creation site read from the stack (for resources made where no user frame is on it). */
  createResource(concreteType: string, timer: boolean, name: string | undefined, target: Describable, below: Function, site?: Site, at = now()): ResourceRecord {
    const record = new ResourceRecord(this.#newSpanId(), concreteType, timer, name, site ?? captureSite(below), at, target);
    this.#admit(this.newResources, record, "resources");
    if (record.tracked) {
      this.resources.set(record.spanId, record);
      this.#finalizer.register(target, record);
    }
    return record;
  }

  markResource(resource: ResourceRecord): void {
    if (!resource.dirty && resource.tracked) {
      resource.dirty = true;
      this.dirtyResources.push(resource.spanId);
    }
  }

  dropResource(resource: ResourceRecord): void {
    if (resource.droppedAt >= 0 || !resource.tracked) return;
    resource.droppedAt = now();
    this.#closedResources.push(resource);
    this.markResource(resource);
  }

  // --- waits ---------------------------------------------------------------

  /**
   * The await site of a wait. Capturing a stack costs microseconds, which a
   * busy channel would pay on every blocked recv; outside deep mode, waits by
   * tasks of one name on one resource and method share the first one's site
   * (they run the same code), in a bounded cache.
   */
  #waitSite(resource: ResourceRecord, source: string, task: TaskRecord | undefined, below: Function | undefined): Site | undefined {
    if (below === undefined) return undefined;
    if (this.options.deep) return captureSite(below);
    const key = `${resource.spanId}\0${source}\0${task?.name ?? ""}`;
    let site = this.#waitSites.get(key);
    if (site === undefined) {
      site = captureSite(below);
      if (this.#waitSites.size >= 4096) this.#waitSites.clear();
      this.#waitSites.set(key, site);
    }
    return site;
  }

  /**
   * A wait that blocked: called on the slow path only. `below` is the
   * outermost insight function on the stack; undefined when no user frame can
   * be on it, which saves a stack capture that would find nothing.
   */
  createOp(resource: ResourceRecord, source: string, reason: string, below: Function | undefined, task = currentTaskRecord(), at = now()): OpRecord {
    const op = new OpRecord(this.#newSpanId(), resource, source, task, this.#waitSite(resource, source, task, below), at, reason);
    op.awaited = resource.target.deref();
    if (!resource.tracked) op.tracked = false;
    else this.#admit(this.newOps, op, "ops");
    if (op.tracked) this.ops.set(op.spanId, op);
    if (task) {
      task.waitingOn = op;
      task.wakerClones++;
      this.markTask(task);
    }
    return op;
  }

  /** The wait ended; `waker` is the task whose action ended it (undefined: outside the runtime). */
  completeOp(op: OpRecord, waker: TaskRecord | undefined): void {
    if (op.droppedAt >= 0) return;
    op.droppedAt = now();
    op.awaited = undefined;
    op.wokenBy = waker?.taskId ?? 0;
    const task = op.task;
    if (task) {
      if (task.waitingOn === op) task.waitingOn = undefined;
      this.wake(task, waker);
    }
    if (!op.tracked) return;
    if (this.#shedAtEnd(op, "ops")) {
      this.ops.delete(op.spanId);
      return;
    }
    this.#closedOps.push(op);
    this.markOp(op);
  }

  markOp(op: OpRecord): void {
    if (!op.dirty && op.tracked) {
      op.dirty = true;
      this.dirtyOps.push(op.spanId);
    }
  }

  // --- deferred records -----------------------------------------------------

  /**
   * Records owed at the next publish. Some waits are cheap to note and dear to
   * record (a join is a resource and an op per request in a typical handler),
   * and most end long before anyone could see them. Those note what they need
   * and are recorded here, with their original times, only if still pending.
   */
  defer(owed: { settle(): void }): void {
    this.#deferred.push(owed);
  }

  /** Records what was deferred and is still pending; called before anything reads the records. */
  settleDeferred(): void {
    const owed = this.#deferred;
    if (owed.length === 0) return;
    this.#deferred = [];
    for (const item of owed) item.settle();
  }

  // --- housekeeping ---------------------------------------------------------

  /** Forgets closed entities past retention (or past the cap on how many closed ones are kept). */
  expire(at: number): void {
    const cutoff = at - this.options.retentionMs;
    // Closed entities are old-generation garbage the host's GC keeps walking:
    // keep at most this many per kind, however long the retention.
    const cap = Math.min(this.options.eventBufferCapacity, MAX_CLOSED_RETAINED);
    this.#closedTasks.expire(cutoff, cap, (t) => this.tasks.delete(t.spanId));
    this.#closedResources.expire(cutoff, cap, (r) => this.resources.delete(r.spanId));
    this.#closedOps.expire(cutoff, cap, (o) => this.ops.delete(o.spanId));
  }

  /** Starts a new publish interval: what was new or dirty has been sent (or nobody was watching). */
  clearDeltas(): void {
    for (const id of this.dirtyTasks) {
      const t = this.tasks.get(id);
      if (t) t.dirty = false;
    }
    for (const id of this.dirtyResources) {
      const r = this.resources.get(id);
      if (r) r.dirty = false;
    }
    for (const id of this.dirtyOps) {
      const o = this.ops.get(id);
      if (o) o.dirty = false;
    }
    this.#intervalStart = now();
    this.#shortTasks = this.#shortOps = 0;
    this.newTasks = [];
    this.newResources = [];
    this.newOps = [];
    this.dirtyTasks = [];
    this.dirtyResources = [];
    this.dirtyOps = [];
  }

  takeDropped(): DroppedCounts {
    const counts = { ...this.dropped };
    this.dropped.tasks = this.dropped.resources = this.dropped.ops = 0;
    return counts;
  }

  /** Tasks still running, for the exit report. */
  pendingTasks(): TaskRecord[] {
    this.settleDeferred();
    return [...this.tasks.values()].filter((t) => t.droppedAt < 0);
  }
}

/** The installed runtime; undefined until `init()` and after `shutdown()`. */
export let runtime: Runtime | undefined;

export function installRuntime(next: Runtime | undefined): void {
  runtime = next;
}
