/**
 * The live registry behind `init()`: every task, resource and wait, what
 * changed since the last publish, and the bounded buffer of new entities.
 * While no runtime is installed (`runtime === undefined`), primitives and
 * `spawn` skip all of this.
 */
import { captureSite, settleSite, type Site } from "./callsite.js";
import { now } from "./clock.js";
import type { ResolvedOptions } from "./config.js";
import { OpRecord, LiveResource, LiveTask, type Describable, type TaskFieldValue, type TaskKind } from "./records.js";
import { ClosedQueue } from "./closed-queue.js";
import { settleCollectedWaits } from "./collected-waits.js";
import { YoungRecords } from "./young-records.js";
import { DurationNotes } from "./duration-notes.js";
import { currentLiveTask } from "./task-context.js";

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

  readonly tasks = new Map<number, LiveTask>();
  readonly resources = new Map<number, LiveResource>();
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
  /**
   * The current publish interval. A record is dirty while its `dirtyIn`
   * equals it, so starting an interval clears every mark at once, without a
   * pass over what changed (every task that ran, when a busy service is
   * unwatched).
   */
  #generation = 1;
  /** Sites captured but not read yet (callsite.ts): read at the next settle. */
  #unsettledSites: Site[] = [];
  #watching = false;
  /** When a console last connected or disconnected (the GC proof runs for a while after a short visit). */
  lastWatchedAt = Number.NEGATIVE_INFINITY;
  #intervalStart = 0;
  #shortTasks = 0;
  #shortOps = 0;
  readonly dropped: DroppedCounts = { tasks: 0, resources: 0, ops: 0 };

  readonly #closedTasks = new ClosedQueue<LiveTask>();
  readonly #closedResources = new ClosedQueue<LiveResource>();
  readonly #closedOps = new ClosedQueue<OpRecord>();
  readonly #finalizer = new FinalizationRegistry<LiveResource>((record) => this.collected(record));
  /** Creations and completions of tasks and waits: the GC proof sweeps again only after some. */
  changes = 0;

  mainTask: LiveTask | undefined;
  /** Whether poll and scheduled durations go into histograms (a console is watching, or deep mode). */
  recordHistograms = false;
  /** Durations owed to the histograms, folded in at the next settle (duration-notes.ts). */
  readonly #durations = new DurationNotes();
  /** Spawn sites by task name, when not in deep mode (bounded). */
  readonly #sitesByName = new Map<string, Site>();
  #deferred: { settle(): void }[] = [];
  /** Tasks and guards not watched weakly yet (young-records.ts). */
  readonly young = new YoungRecords();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.recordHistograms = options.deep;
  }

  /** A console is connected: drops are counted for it. */
  get watching(): boolean {
    return this.#watching;
  }

  set watching(watching: boolean) {
    this.#watching = watching;
    this.lastWatchedAt = now();
    this.onWatchChange?.();
  }

  /** Set by the await tracker: a console came or went (it arms at once rather than at its next check). */
  onWatchChange: (() => void) | undefined;

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
      // Shared by every later task of the name (and the only capture per name): read it now, keep no stack.
      settleSite(site);
      if (this.#sitesByName.size < 4096) this.#sitesByName.set(name, site);
    }
    return site;
  }

  /** Notes a site whose stack is not read yet, to be read at the next settle. */
  #captured(site: Site | undefined): void {
    if (site !== undefined && site.raw === undefined) this.#unsettledSites.push(site);
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

  createTask(
    name: string,
    kind: TaskKind,
    fields: Readonly<Record<string, TaskFieldValue>>,
    site: Site | undefined,
    parent: LiveTask | null | undefined = currentLiveTask(),
    at = now(),
  ): LiveTask {
    const record = new LiveTask(this.#newSpanId(), this.#nextTaskId++, name, kind, parent?.tracked ? parent.spanId : 0, fields, site, at);
    this.#captured(site);
    this.#admit(this.newTasks, record, "tasks");
    if (record.tracked) this.tasks.set(record.spanId, record);
    this.young.addTask(record);
    this.changes++;
    return record;
  }

  completeTask(task: LiveTask): void {
    if (task.droppedAt >= 0) return;
    task.droppedAt = now();
    task.wakerDrops = task.wakerClones;
    this.young.endTask(task);
    this.changes++;
    if (!task.tracked) return;
    if (this.#shedAtEnd(task, "tasks")) {
      this.tasks.delete(task.spanId);
      return;
    }
    this.#closedTasks.push(task);
    this.markTask(task);
  }

  markTask(task: LiveTask): void {
    if (task.dirtyIn !== this.#generation && task.tracked) {
      task.dirtyIn = this.#generation;
      // A task created this interval is listed in newTasks, whose stats go out too.
      if (task.createdAt < this.#intervalStart) this.dirtyTasks.push(task.spanId);
    }
  }

  /** One poll: a synchronous run of the task's code from `start` to `end`. */
  poll(task: LiveTask, start: number, end: number): void {
    if (!task.tracked || task.droppedAt >= 0) return;
    if (task.proven) this.#disprove(task);
    const readyAt = Math.max(task.lastWake, task.lastPollEnded, task.createdAt);
    if (task.lastWake <= task.lastPollEnded && task.polls > 0) {
      // A promise continuation we did not see being woken: count the wake at
      // the poll, from outside what insight observes.
      task.wakes++;
      task.lastWake = start;
    } else if (start > readyAt) {
      const scheduled = start - readyAt;
      task.scheduledMs += scheduled;
      if (this.recordHistograms) this.#durations.note(task, true, scheduled, this.#foldDurations);
    }
    if (task.polls === 0) task.firstPoll = start;
    task.polls++;
    task.lastPollStarted = start;
    task.lastPollEnded = end;
    task.busyMs += end - start;
    if (this.recordHistograms) this.#durations.note(task, false, end - start, this.#foldDurations);
    this.markTask(task);
  }

  /** Folds the noted durations into the histograms of the tasks still kept (forgotten ones need none). */
  settleDurations(): void {
    this.#durations.fold(this.tasks);
  }

  readonly #foldDurations = (): void => this.settleDurations();

  /**
   * A task the GC proof declared stuck ran again. That cannot happen when the
   * proof is sound; if it ever does, the task gets a live waker back rather
   * than staying reported as stuck.
   */
  #disprove(task: LiveTask): void {
    task.proven = false;
    task.wakerClones = task.wakerDrops + 1;
  }

  /** The GC proof found nothing left that could resume `task`: all its wakers are dropped (tokio's lost waker). */
  proveStuck(task: LiveTask): void {
    if (task.proven || task.droppedAt >= 0) return;
    task.proven = true;
    task.wakerDrops = task.wakerClones;
    this.markTask(task);
    // An orphaned request's work is over once nothing of it can run (orphans.ts).
    if (task.clientGone) this.onOrphanProgress?.(task);
  }

  /** Set by orphans.ts: a request whose client is gone finished a wait, or was proven stuck. */
  onOrphanProgress: ((task: LiveTask) => void) | undefined;

  /** `task` became runnable because `waker` (a task, or nobody: outside the runtime) completed its wait. */
  wake(task: LiveTask, waker: LiveTask | undefined): void {
    if (!task.tracked || task.droppedAt >= 0) return;
    task.wakes++;
    task.wakerDrops++;
    if (waker === task) task.selfWakes++;
    task.lastWake = now();
    this.markTask(task);
  }

  // --- resources -----------------------------------------------------------

  /** `site` overrides the creation site read from the stack (for resources made where no user frame is on it). */
  createResource(concreteType: string, timer: boolean, name: string | undefined, target: Describable, below: Function, site?: Site, at = now()): LiveResource {
    const record = new LiveResource(this.#newSpanId(), concreteType, timer, name, site ?? captureSite(below), at, target);
    this.#captured(record.site);
    this.#admit(this.newResources, record, "resources");
    if (record.tracked) {
      this.resources.set(record.spanId, record);
      this.#finalizer.register(target, record);
    }
    return record;
  }

  markResource(resource: LiveResource): void {
    // A primitive with waiters may be collected with them (a deadlock nobody
    // else references): keep its final state, read while it still exists.
    if (resource.pendingOps > 0) this.#readAttributes(resource);
    if (resource.dirtyIn !== this.#generation && resource.tracked) {
      resource.dirtyIn = this.#generation;
      this.dirtyResources.push(resource.spanId);
    }
  }

  #readAttributes(resource: LiveResource): void {
    const target = resource.target.deref();
    if (target === undefined) return;
    try {
      resource.lastAttributes = target.describe();
    } catch {
      // Keep the last good attributes.
    }
  }

  /**
   * The primitive was garbage-collected. With waits still pending on it,
   * what that means depends on the waiting tasks, judged at the next GC
   * proof check (settleCollected); until then it stays as it was.
   */
  collected(resource: LiveResource): void {
    if (resource.pendingOps > 0) resource.collected = true;
    else this.dropResource(resource);
  }

  /** A collected primitive's pending waits, once the tasks have been checked (collected-waits.ts). */
  settleCollected(resource: LiveResource): void {
    settleCollectedWaits(this, resource);
  }

  markUnreachable(resource: LiveResource): void {
    if (resource.unreachable || resource.droppedAt >= 0) return;
    resource.unreachable = true;
    this.markResource(resource);
  }

  /** `count` guards or permits of `resource` were collected without being released. */
  leak(resource: LiveResource, count: number): void {
    resource.leaked += count;
    this.markResource(resource);
  }

  dropResource(resource: LiveResource): void {
    if (resource.droppedAt >= 0 || !resource.tracked) return;
    resource.droppedAt = now();
    this.#closedResources.push(resource);
    this.markResource(resource);
  }

  // --- waits ---------------------------------------------------------------

  /**
   * A wait that blocked: called on the slow path only. `below` is the
   * outermost insight function on the stack; undefined when no user frame can
   * be on it, which saves a stack capture that would find nothing. The await
   * site is captured for every wait: tasks of one name may wait at different
   * awaits, and only the stack says which (a cache keyed by anything coarser
   * put the second lock() of an ABBA deadlock at the first one's line).
   */
  createOp(resource: LiveResource, source: string, reason: string, below: Function | undefined, task = currentLiveTask(), at = now(), site?: Site): OpRecord {
    const op = new OpRecord(this.#newSpanId(), resource, source, task, below === undefined ? site : captureSite(below), at, reason);
    this.#captured(op.site);
    resource.pendingOps++;
    this.changes++;
    if (task) {
      op.pollsAtStart = task.polls;
      task.pendingOps++;
    }
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
  completeOp(op: OpRecord, waker: LiveTask | undefined): void {
    if (op.droppedAt >= 0) return;
    op.droppedAt = now();
    op.resource.pendingOps--;
    this.changes++;
    op.wokenBy = waker?.taskId ?? 0;
    const task = op.task;
    if (task) {
      task.pendingOps--;
      if (task.waitingOn === op) task.waitingOn = undefined;
      this.wake(task, waker);
      if (task.clientGone) this.onOrphanProgress?.(task);
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
    if (op.dirtyIn !== this.#generation && op.tracked) {
      op.dirtyIn = this.#generation;
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
    this.young.watch();
    this.settleDurations();
    this.#settleSites();
    const owed = this.#deferred;
    if (owed.length === 0) return;
    this.#deferred = [];
    for (const item of owed) item.settle();
  }

  /**
   * Sites captured this interval are read now (callsite.ts), so no record
   * keeps a stack past one interval. Only captured ones are visited: a task
   * per request shares its name's site, read when it was captured.
   */
  #settleSites(): void {
    const sites = this.#unsettledSites;
    if (sites.length === 0) return;
    this.#unsettledSites = [];
    for (const site of sites) settleSite(site);
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
    this.#generation++;
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
  pendingTasks(): LiveTask[] {
    this.settleDeferred();
    return [...this.tasks.values()].filter((t) => t.droppedAt < 0);
  }
}

/** The installed runtime; undefined until `init()` and after `shutdown()`. */
export let runtime: Runtime | undefined;

export function installRuntime(next: Runtime | undefined): void {
  runtime = next;
}
