/**
 * What insight remembers about tasks, resources and waits. Plain classes with
 * numeric fields so that the hot paths (a poll, a wake) are a few field writes.
 * Times are `now()` milliseconds; -1 means "not yet".
 */
import type { DurationRecorder } from "./histogram.js";
import type { Location, Site } from "./callsite.js";

export type TaskKind = "task" | "request" | "main";
export type FieldValue = string | number | bigint | boolean;

export class TaskRecord {
  /** Protocol id (a span id in tokio terms). */
  readonly spanId: number;
  /** Stable `task.id`, what people read and what owners name. */
  readonly taskId: number;
  readonly name: string;
  readonly kind: TaskKind;
  readonly parentSpanId: number;
  readonly fields: Readonly<Record<string, FieldValue>>;
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
  dirty = false;
  /** Used when the stack has no user frame (the main task started by --import). */
  fallbackLocation: Location | undefined;

  constructor(
    spanId: number,
    taskId: number,
    name: string,
    kind: TaskKind,
    parentSpanId: number,
    fields: Readonly<Record<string, FieldValue>>,
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

export class ResourceRecord {
  readonly spanId: number;
  readonly concreteType: string;
  readonly timer: boolean;
  readonly name: string | undefined;
  readonly site: Site | undefined;
  readonly createdAt: number;
  droppedAt = -1;
  /** Weak so that an instrumented primitive can still be garbage-collected. */
  readonly target: WeakRef<Describable>;
  /** Last attributes read, kept for after the primitive is collected. */
  lastAttributes: AttributeValues = {};
  tracked = true;
  dirty = false;

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
  readonly resource: ResourceRecord;
  /** `Type::method`. */
  readonly source: string;
  readonly task: TaskRecord | undefined;
  readonly site: Site | undefined;
  readonly createdAt: number;
  reason: string;
  droppedAt = -1;
  /** `task.id` of the waker; 0 = outside the runtime; -1 = still waiting. */
  wokenBy = -1;
  /** Free-form extra attributes (e.g. permits requested). */
  extra: AttributeValues | undefined;
  /** Metadata id of the await site, assigned when first published. */
  metaId = 0n;
  tracked = true;
  dirty = false;
  /**
   * The primitive being awaited, held strongly while the wait lasts. A
   * deadlocked chain of promises is unreachable garbage to V8, and without
   * this the channel would be reported dropped while its task still waits on
   * it; tokio keeps a stuck future alive the same way.
   */
  awaited: object | undefined;

  constructor(spanId: number, resource: ResourceRecord, source: string, task: TaskRecord | undefined, site: Site | undefined, createdAt: number, reason: string) {
    this.spanId = spanId;
    this.resource = resource;
    this.source = source;
    this.task = task;
    this.site = site;
    this.createdAt = createdAt;
    this.reason = reason;
  }
}
