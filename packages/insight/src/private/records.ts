/**
 * What insight remembers about tasks, resources and waits. Plain classes with
 * numeric fields so that the hot paths (a poll, a wake) are a few field writes.
 * Times are `now()` milliseconds; -1 means "not yet".
 */
import type { DurationRecorder } from "./histogram.js";
import type { Location, Site } from "./callsite.js";

export type TaskKind = "task" | "request" | "main";
export type TaskFieldValue = string | number | bigint | boolean;

export class LiveTask {
  /** Protocol id (a span id in tokio terms). */
  readonly spanId: number;
  /** Stable `task.id`, what people read and what owners name. */
  readonly taskId: number;
  readonly name: string;
  readonly kind: TaskKind;
  readonly parentSpanId: number;
  readonly fields: Readonly<Record<string, TaskFieldValue>>;
  readonly site: Site | undefined;
  readonly createdAt: number;
  droppedAt = -1;
  polls = 0;
  firstPoll = -1;
  lastPollStarted = -1;
  lastPollEnded = -1;
  busyMs = 0;
  wakes = 0;
  selfWakes = 0;
  /** Every live task holds one waker: any pending promise may still resolve. */
  wakerClones = 1;
  wakerDrops = 0;
  lastWake = -1;
  scheduledMs = 0;
  pollTimes: DurationRecorder | undefined;
  scheduledTimes: DurationRecorder | undefined;
  /** The insight wait it is blocked in, for the exit report. */
  waitingOn: OpRecord | undefined;
  /** False when the event buffer was full at spawn: the task runs but is never published. */
  tracked = true;
  /** The publish interval in which it was last marked changed (Runtime.generation); dirty while they are equal. */
  dirtyIn = 0;
  /** The last pass of an update build that took it (wire.ts), so a record listed twice is sent once. */
  sentIn = 0;
  /** Used when the stack has no user frame (the main task started by --import). */
  fallbackLocation: Location | undefined;
  /**
   * The task's async context (task-context.ts), held weakly: empty after a
   * full GC means nothing that could ever resume the task exists.
   */
  context: WeakRef<object> | undefined;
  /** The context, held strongly until the task has outlived one publish interval (young-records.ts). */
  pendingContext: object | undefined;
  /** Its slot among the young tasks (young-records.ts); -1 once watched weakly or ended. */
  youngSlot = -1;
  /** Proven stuck by the GC proof: its wakers are all dropped. */
  proven = false;
  /** Waits recorded as async ops and not over (runtime.ts). */
  pendingOps = 0;
  /** Awaits the await tracker noted and not settled yet, recorded or not (await-tracker.ts). */
  pendingAwaits = 0;
  /** The await tracker's per-turn budgets for this task (await-tracker.ts): derived promises looked at, creations captured. */
  awaitTurn = -1;
  creationTurn = -1;
  /** A request whose response closed while its handler still waited (orphans.ts). */
  clientGone = false;

  constructor(
    spanId: number,
    taskId: number,
    name: string,
    kind: TaskKind,
    parentSpanId: number,
    fields: Readonly<Record<string, TaskFieldValue>>,
    site: Site | undefined,
    createdAt: number,
  ) {
    this.spanId = spanId;
    this.taskId = taskId;
    this.name = name;
    this.kind = kind;
    this.parentSpanId = parentSpanId;
    this.fields = fields;
    this.site = site;
    this.createdAt = createdAt;
  }
}

/** A primitive's state as attribute values, read when an update is built. */
export type AttributeValues = Record<string, string | number | boolean | undefined>;

export interface Describable {
  /** Current state attributes (`insight.owners` included). */
  describe(): AttributeValues;
}

export class LiveResource {
  readonly spanId: number;
  readonly concreteType: string;
  readonly timer: boolean;
  readonly name: string | undefined;
  readonly site: Site | undefined;
  readonly createdAt: number;
  droppedAt = -1;
  /** Weak so that an instrumented primitive can still be garbage-collected. */
  readonly target: WeakRef<Describable>;
  /**
   * Last attributes read, kept for after the primitive is collected. While a
   * wait is pending they are re-read on every change (Runtime.markResource),
   * so a primitive collected with waiters keeps its final state.
   */
  lastAttributes: AttributeValues = {};
  /** Waits recorded on it and not over yet. */
  pendingOps = 0;
  /** Garbage-collected with waits pending; what that proves is settled at the next GC proof check. */
  collected = false;
  /** Collected while tasks that nothing can resume any more still waited on it: `insight.unreachable`. */
  unreachable = false;
  /** Guards or permits collected without being released: `insight.leaked`. */
  leaked = 0;
  tracked = true;
  /** As LiveTask.dirtyIn and LiveTask.sentIn. */
  dirtyIn = 0;
  sentIn = 0;

  constructor(spanId: number, concreteType: string, timer: boolean, name: string | undefined, site: Site | undefined, createdAt: number, target: Describable) {
    this.spanId = spanId;
    this.concreteType = concreteType;
    this.timer = timer;
    this.name = name;
    this.site = site;
    this.createdAt = createdAt;
    this.target = new WeakRef(target);
  }
}

export class OpRecord {
  readonly spanId: number;
  readonly resource: LiveResource;
  /** `Type::method`. */
  readonly source: string;
  readonly task: LiveTask | undefined;
  readonly site: Site | undefined;
  readonly createdAt: number;
  reason: string;
  droppedAt = -1;
  /** `task.id` of the waker; 0 = outside the runtime; -1 = still waiting. */
  wokenBy = -1;
  /** Free-form extra attributes (e.g. permits requested). */
  extra: AttributeValues | undefined;
  /** Polls its task had made when the wait began (a later wait in a later poll means this one was left). */
  pollsAtStart = 0;
  /** Metadata id of the await site, assigned when first published. */
  metaId = 0n;
  tracked = true;
  /** As LiveTask.dirtyIn and LiveTask.sentIn. */
  dirtyIn = 0;
  sentIn = 0;
  // Deliberately no reference to the primitive, its waiter or the promise:
  // a deadlocked chain must stay garbage to V8 so the GC proof can see it.

  constructor(spanId: number, resource: LiveResource, source: string, task: LiveTask | undefined, site: Site | undefined, createdAt: number, reason: string) {
    this.spanId = spanId;
    this.resource = resource;
    this.source = source;
    this.task = task;
    this.site = site;
    this.createdAt = createdAt;
    this.reason = reason;
  }
}
