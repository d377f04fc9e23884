/**
 * A task's mutable record. Times are kept as relative numbers (see
 * clock.ts) and counters as numbers, so an idle task holds no bigint heap
 * objects; the public getters convert. The getters compute tokio-console's
 * derived values (state, busy/scheduled/idle) at the store's current `now`,
 * so a task that receives no stats (tokio sends only dirty ones) still ages.
 */
import type { TaskStatsView, TimestampView } from "@async-insight/protocol";
import type { DisplayId, FieldEntry, Nanos, StateShare, TaskHistograms, TaskRecord, TaskState, TaskTimes, WakerStats } from "../model.js";
import { spanKeyOf, type SpanKey } from "../private/span-key.js";
import type { StoreClock } from "./clock.js";
import { Timeline } from "./timeline.js";

/** A poll that finished in the snapshot just applied, in relative ns. */
export interface FinishedPoll {
  readonly start: number;
  readonly end: number;
}

/** Rust's Option ordering on NaN-for-None numbers: None < Some. */
function after(a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a > b;
}

function durationNs(d: TimestampView | undefined): number {
  return d ? Number(d.seconds) * 1e9 + d.nanos : 0;
}

// Shared empty arrays: most tasks have no parents, and 100k private empty arrays add up.
const NO_FIELDS: readonly FieldEntry[] = Object.freeze([]);
export const NO_PARENTS: readonly DisplayId[] = Object.freeze([]);

const whole = (n: number): number => Math.max(0, Math.round(n));
const big = (n: number): bigint => BigInt(whole(n));

interface RawTimes {
  total: number;
  busy: number;
  scheduled: number;
}
/** Reused by every #times() call: the getters read it before anything else can. */
const scratch: RawTimes = { total: 0, busy: 0, scheduled: 0 };

/** A task's `times` (ns) and `polls` as numbers: exact up to 2^53 ns (104 days). */
export interface TaskNanos {
  total: number;
  busy: number;
  scheduled: number;
  idle: number;
  polls: number;
}

// Slots of a task's numbers. One packed array of doubles, not thirteen number fields: V8 boxes
// every double-valued field in a heap number of its own (16 bytes each, and 8 for the field),
// which cost 10k tasks ~3 MB; the array costs a third of that.
const CREATED = 0;
const DROPPED = 1;
const FIRST_POLL = 2;
const STARTED = 3;
const ENDED = 4;
const WOKEN = 5;
const BUSY = 6;
const SCHEDULED = 7;
const POLLS = 8;
const WAKES = 9;
const CLONES = 10;
const DROPS = 11;
const SELF_WAKES = 12;
/** The initial numbers (times absent, counters 0), copied by each task: `slice` keeps it packed doubles, exactly this long. */
const NUMBERS: number[] = [];
for (let slot = 0; slot <= SELF_WAKES; slot++) NUMBERS.push(slot < BUSY ? Number.NaN : 0);

export class TaskEntity implements TaskRecord {
  id: DisplayId;
  /** The span id as a compact key (see span-key.ts); `spanId` converts. */
  spanKey: SpanKey;
  name: string | undefined = undefined;
  kind = "task";
  target: string | undefined = undefined;
  fields: readonly FieldEntry[] = NO_FIELDS;
  location: string | undefined = undefined;
  parents: readonly DisplayId[] = NO_PARENTS;
  sizeBytes: bigint | undefined = undefined;
  originalSizeBytes: bigint | undefined = undefined;
  histograms: TaskHistograms | undefined = undefined;
  /** Allocated on the first observation worth keeping. */
  timeline: Timeline | undefined = undefined;
  /** Display ids of pending async ops awaited by this task (allocated lazily). */
  ops: Set<DisplayId> | undefined = undefined;
  /** Whether the task currently has out-edges in the wait-for graph. */
  graphed = false;
  /** The state last written to the timeline. */
  recordedState: TaskState | undefined = undefined;
  /** The store update at which the task was first seen certainly stuck, while it stays so. */
  stuckSince: number | undefined = undefined;
  /** Polls counted when `stuckSince` was set: a later poll means it was not stuck after all. */
  stuckPolls = 0;
  /** Relative ns (NaN = absent) and counters, in the slots named above NUMBERS. */
  readonly #n: number[] = NUMBERS.slice();
  readonly #clock: StoreClock;

  constructor(id: DisplayId, spanId: bigint, clock: StoreClock) {
    this.id = id;
    this.spanKey = spanKeyOf(spanId);
    this.#clock = clock;
  }

  get spanId(): bigint {
    return BigInt(this.spanKey);
  }

  // Relative ns (NaN = absent) and plain counters, read-only outside applyStats.
  get created(): number {
    return this.#n[CREATED]!;
  }
  get dropped(): number {
    return this.#n[DROPPED]!;
  }
  get firstPollAt(): number {
    return this.#n[FIRST_POLL]!;
  }
  get started(): number {
    return this.#n[STARTED]!;
  }
  get ended(): number {
    return this.#n[ENDED]!;
  }
  get woken(): number {
    return this.#n[WOKEN]!;
  }
  get busyNs(): number {
    return this.#n[BUSY]!;
  }
  get scheduledNs(): number {
    return this.#n[SCHEDULED]!;
  }
  get pollCount(): number {
    return this.#n[POLLS]!;
  }
  get wakeCount(): number {
    return this.#n[WAKES]!;
  }
  get cloneCount(): number {
    return this.#n[CLONES]!;
  }
  get dropCount(): number {
    return this.#n[DROPS]!;
  }
  get selfWakeCount(): number {
    return this.#n[SELF_WAKES]!;
  }

  get entity(): "task" {
    return "task";
  }
  get completed(): boolean {
    return !Number.isNaN(this.dropped);
  }
  get createdAt(): Nanos | undefined {
    return this.#clock.abs(this.created);
  }
  get droppedAt(): Nanos | undefined {
    return this.#clock.abs(this.dropped);
  }
  get firstPoll(): Nanos | undefined {
    return this.#clock.abs(this.firstPollAt);
  }
  get lastPollStarted(): Nanos | undefined {
    return this.#clock.abs(this.started);
  }
  get lastPollEnded(): Nanos | undefined {
    return this.#clock.abs(this.ended);
  }
  get polls(): bigint {
    return BigInt(this.pollCount);
  }

  /** tokio-console: Completed, else Running, else Scheduled, else Idle. */
  get state(): TaskState {
    if (!Number.isNaN(this.dropped)) return "completed";
    if (after(this.started, this.ended)) return "running";
    if (after(this.woken, this.started)) return "scheduled";
    return "idle";
  }

  /** Total, busy and scheduled ns at the store's now, in the shared scratch object: read it at once. */
  #times(): RawTimes {
    const end = Number.isNaN(this.dropped) ? this.#clock.nowRel : this.dropped;
    const total = Number.isNaN(end) || Number.isNaN(this.created) ? 0 : Math.max(0, end - this.created);
    let busy = this.busyNs;
    let scheduled = this.scheduledNs;
    if (Number.isNaN(this.dropped) && !Number.isNaN(end)) {
      if (after(this.started, this.ended)) busy += Math.max(0, end - this.started);
      else if (after(this.woken, this.started)) scheduled += Math.max(0, end - this.woken);
    }
    scratch.total = total;
    scratch.busy = busy;
    scratch.scheduled = scheduled;
    return scratch;
  }

  get times(): TaskTimes {
    const t = this.#times();
    return { total: big(t.total), busy: big(t.busy), scheduled: big(t.scheduled), idle: big(t.total - t.busy - t.scheduled) };
  }

  /** `times` and `polls` as numbers, into `out`: what a view refreshing thousands of rows reads without allocating. */
  readNanos(out: TaskNanos): void {
    const t = this.#times();
    out.total = whole(t.total);
    out.busy = whole(t.busy);
    out.scheduled = whole(t.scheduled);
    out.idle = whole(t.total - t.busy - t.scheduled);
    out.polls = this.pollCount;
  }

  get share(): StateShare {
    const t = this.#times();
    if (t.total <= 0) return { busy: 0, scheduled: 0, idle: 0 };
    const busy = Math.min(1, t.busy / t.total);
    const scheduled = Math.min(1 - busy, t.scheduled / t.total);
    return { busy, scheduled, idle: Math.max(0, 1 - busy - scheduled) };
  }

  /**
   * Certainly stuck (see docs/model.md "Evidence"): idle, polled, not woken
   * since its last poll began, and no waker of it exists any more, so
   * nothing can ever schedule it again. The Node library raises the waker
   * drops to the clones only when a GC proved it; for tokio it is the lost
   * waker. Blocking kinds are left out, as tokio-console's lost-waker does.
   */
  get certainlyStuck(): boolean {
    return (
      Number.isNaN(this.dropped) &&
      this.kind !== "blocking" &&
      this.kind !== "block_on" &&
      this.pollCount > 0 &&
      this.cloneCount - this.dropCount <= 0 &&
      !after(this.started, this.ended) &&
      !after(this.woken, this.started)
    );
  }

  get wakers(): WakerStats {
    return {
      wakes: BigInt(this.wakeCount),
      clones: BigInt(this.cloneCount),
      drops: BigInt(this.dropCount),
      current: BigInt(Math.max(0, this.cloneCount - this.dropCount)),
      selfWakes: BigInt(this.selfWakeCount),
      lastWake: this.#clock.abs(this.woken),
    };
  }

  /**
   * Applies a full stats snapshot, recording what it reveals in the timeline.
   * Returns the poll that finished, if one did, for the long-poll record.
   */
  applyStats(stats: TaskStatsView, timelineCapacity: number): FinishedPoll | undefined {
    const clock = this.#clock;
    const prevStarted = this.started;
    const prevEnded = this.ended;
    const prevWake = this.woken;
    // created_at never changes; skip the conversion on the hot path once known.
    const n = this.#n;
    if (Number.isNaN(n[CREATED]!)) n[CREATED] = clock.relTs(stats.createdAt);
    if (stats.droppedAt) n[DROPPED] = clock.relTs(stats.droppedAt);
    n[WAKES] = Number(stats.wakes);
    n[CLONES] = Number(stats.wakerClones);
    n[DROPS] = Number(stats.wakerDrops);
    n[SELF_WAKES] = Number(stats.selfWakes);
    n[WOKEN] = clock.relTs(stats.lastWake);
    n[SCHEDULED] = durationNs(stats.scheduledTime);
    const poll = stats.pollStats;
    if (poll) {
      n[POLLS] = Number(poll.polls);
      if (Number.isNaN(n[FIRST_POLL]!)) n[FIRST_POLL] = clock.relTs(poll.firstPoll);
      n[STARTED] = clock.relTs(poll.lastPollStarted);
      n[ENDED] = clock.relTs(poll.lastPollEnded);
      n[BUSY] = durationNs(poll.busyTime);
    }

    const started = this.started;
    const ended = this.ended;
    const wake = this.woken;
    const newStart = !Number.isNaN(started) && started !== prevStarted;
    const newEnd = !Number.isNaN(ended) && ended !== prevEnded;
    const newWake = !Number.isNaN(wake) && wake !== prevWake;
    let finished: FinishedPoll | undefined;
    if (newStart || newEnd || newWake) {
      const timeline = (this.timeline ??= new Timeline(timelineCapacity));
      if (newWake) timeline.wake(wake, undefined);
      if (newStart) {
        // The wait before this poll: from the later of the wake and the previous poll's end.
        if (wake <= started && (Number.isNaN(prevStarted) || wake > prevStarted)) {
          timeline.scheduled(prevEnded > wake ? prevEnded : wake, started);
        }
        const closed = ended >= started;
        timeline.poll(started, closed ? ended : undefined);
        if (closed) finished = { start: started, end: ended };
      } else if (newEnd && ended >= started) {
        timeline.closePoll(started, ended);
        finished = { start: started, end: ended };
      }
    }
    const state = this.state;
    if (state !== this.recordedState) {
      const at = Number.isNaN(this.dropped) ? clock.nowRel : this.dropped;
      if (!Number.isNaN(at) && (this.timeline !== undefined || this.recordedState !== undefined)) {
        (this.timeline ??= new Timeline(timelineCapacity)).state(at, state);
      }
      this.recordedState = state;
    }
    return finished;
  }
}
