/**
 * The engine's public model: what a UI, a replay reader or `check` reads
 * back from a {@link RuntimeStore}. Everything here is read-only data; the
 * store owns the mutable state behind it.
 *
 * Units: every time and duration is integer nanoseconds as `bigint`
 * (timestamps are nanoseconds since the Unix epoch, as on the wire). Display
 * ids are `bigint` too, because tokio's `task.id` is a u64.
 */
import type { FieldValue, HdrHistogram } from "@async-insight/protocol";

/** Integer nanoseconds (a timestamp since the epoch, or a duration). */
export type Nanos = bigint;

/** A display id: what people see and type. Stable for the entity's life in the store. */
export type DisplayId = bigint;

/**
 * tokio-console's client-side task state. `scheduled` is "ready to poll",
 * `idle` is "blocked" in the story's words.
 */
export type TaskState = "running" | "scheduled" | "idle" | "completed";

/** One `Field` of a task, decoded. */
export interface FieldEntry {
  readonly name: string;
  readonly value: FieldValue;
}

/** A resource or async-op attribute after add/sub/override folding. */
export interface AttributeEntry {
  readonly name: string;
  readonly value: FieldValue;
  /** The unit the wire attached (`ms`, `permits`...), if any. */
  readonly unit: string | undefined;
}

/** Durations per tokio-console's definitions, measured at the store's `now`. */
export interface TaskTimes {
  /** (dropped_at or now) − created_at. */
  readonly total: Nanos;
  /** busy_time plus the poll in progress, if any. */
  readonly busy: Nanos;
  /** scheduled_time plus the time since the last wake when not yet polled after it. */
  readonly scheduled: Nanos;
  /** total − busy − scheduled (never negative). */
  readonly idle: Nanos;
}

/** Waker counters, as tokio-console's waker box shows them. */
export interface WakerStats {
  readonly wakes: bigint;
  readonly clones: bigint;
  readonly drops: bigint;
  /** clones − drops (0 when drops exceed clones). */
  readonly current: bigint;
  readonly selfWakes: bigint;
  readonly lastWake: Nanos | undefined;
}

/** Share of a task's lifetime in each state, each in [0, 1], summing to 1 (or all 0 for an empty life). */
export interface StateShare {
  readonly busy: number;
  readonly scheduled: number;
  readonly idle: number;
}

/** A decoded `DurationHistogram` from `WatchTaskDetails`. */
export interface DurationHistogramView {
  readonly histogram: HdrHistogram;
  /** The histogram's configured maximum; larger values were clamped and counted as outliers. */
  readonly maxValue: bigint;
  readonly highOutliers: bigint;
  readonly highestOutlier: bigint | undefined;
}

/** The latest `TaskDetails` seen for a task. */
export interface TaskHistograms {
  readonly at: Nanos | undefined;
  readonly pollTimes: DurationHistogramView | undefined;
  readonly scheduledTimes: DurationHistogramView | undefined;
}

/** A task as the engine sees it. */
export interface TaskRecord {
  readonly entity: "task";
  /** tokio's / insight's `task.id` field when present, else a store-assigned sequential id. */
  readonly id: DisplayId;
  /** The span id on the wire; only meaningful while the task is live (span ids are reused). */
  readonly spanId: bigint;
  /** `task.name`, if set. */
  readonly name: string | undefined;
  /** The `kind` field (`task`, `local`, `block_on`, `blocking`, `request`, `main`), default `task`. */
  readonly kind: string;
  /** The metadata target (`tokio::task`...), when metadata is known. */
  readonly target: string | undefined;
  /** Every field the task was spawned with, in wire order (including `task.id`, `kind`, `size.bytes`...). */
  readonly fields: readonly FieldEntry[];
  /** Spawn site, `file:line:col` (parts absent on the wire are left out). */
  readonly location: string | undefined;
  /** Display ids of the spawning task(s), from `Task.parents` (empty for tokio). */
  readonly parents: readonly DisplayId[];
  readonly state: TaskState;
  readonly createdAt: Nanos | undefined;
  readonly droppedAt: Nanos | undefined;
  readonly times: TaskTimes;
  readonly share: StateShare;
  readonly polls: bigint;
  readonly firstPoll: Nanos | undefined;
  readonly lastPollStarted: Nanos | undefined;
  readonly lastPollEnded: Nanos | undefined;
  readonly wakers: WakerStats;
  /** `size.bytes` / `original_size.bytes` fields, when tokio sends them. */
  readonly sizeBytes: bigint | undefined;
  readonly originalSizeBytes: bigint | undefined;
  readonly histograms: TaskHistograms | undefined;
}

/** `public` resources are the user's; `internal` ones are implementation details (tokio's batch semaphore). */
export type Visibility = "public" | "internal";

export interface ResourceRecord {
  readonly entity: "resource";
  /** Sequential display id, assigned in arrival order. */
  readonly id: DisplayId;
  readonly spanId: bigint;
  /** `Mutex`, `Channel`, `Sleep`, `Sender|Receiver`... */
  readonly concreteType: string;
  /** `Timer`, `Sync`, or whatever string the target sent. */
  readonly kind: string;
  /** `insight.name` when the user named it, else undefined. */
  readonly name: string | undefined;
  /** What to show: the name, else `<concreteType> <id>`. */
  readonly label: string;
  readonly location: string | undefined;
  readonly target: string | undefined;
  /** Display id of the parent resource (tokio: Mutex → its internal semaphore's parent). */
  readonly parent: DisplayId | undefined;
  readonly visibility: Visibility;
  readonly attributes: readonly AttributeEntry[];
  attribute(name: string): AttributeEntry | undefined;
  readonly createdAt: Nanos | undefined;
  readonly droppedAt: Nanos | undefined;
  readonly dropped: boolean;
  /**
   * `insight.unreachable=true`: the target proved (by garbage collection) that
   * no code outside the tasks waiting on it can reach this primitive, so its
   * stated owners are the only possible freers.
   */
  readonly unreachable: boolean;
  /** `insight.leaked`: guards or permits collected without being released (0 when not sent). */
  readonly leaked: bigint;
  /** `insight.capacity`: a semaphore's total permits, when the target states it (tokio does not). */
  readonly capacity: bigint | undefined;
}

export interface AsyncOpRecord {
  readonly entity: "asyncOp";
  readonly id: DisplayId;
  readonly spanId: bigint;
  /** `Type::method`, e.g. `Mutex::lock`, `Channel::send`. */
  readonly source: string;
  /** Display id of the resource it waits on. */
  readonly resource: DisplayId | undefined;
  readonly parent: DisplayId | undefined;
  /** Display id of the task awaiting it (fresher from poll ops than from stats). */
  readonly task: DisplayId | undefined;
  /** The await site, `file:line:col`, from the op's metadata. */
  readonly awaitLocation: string | undefined;
  /** `insight.await_line`: the trimmed source text of the await, when sent. */
  readonly awaitLine: string | undefined;
  /** `insight.reason` when sent, else derived from `source`. */
  readonly reason: string;
  /** Whether the reason came from the source rather than the target. */
  readonly reasonInferred: boolean;
  /** `insight.woken_by`: task id that completed the wait, 0n = outside the runtime. */
  readonly wokenBy: DisplayId | undefined;
  /** The latest poll op's readiness; undefined when no poll op was seen. */
  readonly lastPollReady: boolean | undefined;
  /** Not dropped, not completed by a wake and not last polled ready. */
  readonly pending: boolean;
  readonly attributes: readonly AttributeEntry[];
  /** `insight.requested` (permits asked), else tokio's `permits_requested`, when sent. */
  readonly requested: bigint | undefined;
  readonly polls: bigint;
  readonly busy: Nanos;
  readonly createdAt: Nanos | undefined;
  readonly droppedAt: Nanos | undefined;
}

/** Which side of a resource a wait is on; decides who can free it. */
export type WaitDirection = "send" | "recv" | "acquire" | "other";

/** One thing a task waits on, in words. */
export interface Wait {
  readonly task: DisplayId;
  readonly resource: ResourceRecord | undefined;
  readonly asyncOp: AsyncOpRecord;
  readonly reason: string;
  readonly direction: WaitDirection;
  readonly awaitLocation: string | undefined;
  readonly awaitLine: string | undefined;
  /** How long it has waited (now − op created), when known. */
  readonly since: Nanos | undefined;
}

/**
 * Roles a task can play for a resource. `task`: the spawned task behind a
 * join handle, which ends the wait by finishing. `notifier`: a task that
 * notified a Notify before.
 */
export type FreerRole = "holder" | "reader" | "permit" | "receiver" | "sender" | "party" | "task" | "notifier";

/**
 * How much a freer proves. `certain`: a closed set (these tasks and nobody
 * else can free it: lock holders, permit holders, the task behind a join
 * handle, or any owner of a resource proven unreachable). `possible`: tasks
 * known to have used that end; other code holding a reference could too.
 */
export type FreerCertainty = "certain" | "possible";

/** A task that can free (or use) a resource, and why. */
export interface Freer {
  readonly task: DisplayId;
  readonly role: FreerRole;
  readonly certainty: FreerCertainty;
  /** e.g. "sole receiver (mpsc channel)", "lock holder (mutex)". */
  readonly label: string;
  /** True when the engine inferred the role (tokio poll ops) rather than the target stating it. */
  readonly inferred: boolean;
  /** For `permit`: permits held. */
  readonly count: number;
  /** When the engine first saw this role, when known. */
  readonly since: Nanos | undefined;
}

/** A woken-by edge: `waker` woke `task`. waker 0n means from outside the runtime. */
export interface WakeEdge {
  readonly waker: DisplayId;
  readonly task: DisplayId;
  readonly count: number;
  /** The woken task's last wake as of when the edge was observed. */
  readonly lastAt: Nanos | undefined;
}

/** A node of the wait-for graph or of an export. */
export type GraphNodeRef = { readonly kind: "task"; readonly id: DisplayId } | { readonly kind: "resource"; readonly id: DisplayId };

/** A labelled edge of the wait-for graph: task --reason--> resource, resource --role--> task. */
export interface WaitEdge {
  readonly from: GraphNodeRef;
  readonly to: GraphNodeRef;
  readonly label: string;
  readonly inferred: boolean;
}

/** A task inside a deadlock cycle, with what the problem view shows. */
export interface CycleTask {
  readonly id: DisplayId;
  readonly kind: string;
  readonly name: string | undefined;
  readonly fields: readonly FieldEntry[];
  readonly location: string | undefined;
  readonly waits: readonly Wait[];
}

export interface CycleResource {
  readonly id: DisplayId;
  readonly concreteType: string;
  readonly kind: string;
  readonly label: string;
  readonly location: string | undefined;
}

/**
 * What a cycle rests on. `certain`: a closed cycle of the wait-for graph in
 * which every resource side's freers are certain (lock holders, permit
 * holders, awaited tasks, owners of an unreachable resource). `proven`: a
 * connected group of tasks the target proved stuck (no waker left: the GC
 * proof, or tokio's lost waker). `likely`: a closed cycle only when the tasks
 * known to use an end are counted as its only users.
 */
export type CycleBasis = "certain" | "proven" | "likely";

/**
 * A set of tasks that wait on each other: a closed part of the wait-for graph
 * (no way out), or a group of tasks proven stuck, held over two consecutive
 * updates. `basis` says how sure it is; `evidence` says why, in words.
 */
export interface DeadlockCycle {
  /** Stable while the same members stay stuck: `cycle:` + sorted member keys. */
  readonly id: string;
  readonly basis: CycleBasis;
  /** The grounds, e.g. `m1 is held by 1 "a"; m2 is held by 2 "b"`, or `nothing that can still run can wake it`. */
  readonly evidence: string;
  readonly tasks: readonly CycleTask[];
  readonly resources: readonly CycleResource[];
  /** Await sites of the waits inside the cycle. */
  readonly awaitLocations: readonly string[];
  readonly edges: readonly WaitEdge[];
  /** Store `generation` at which the cycle was first seen (it is reported from the next one). */
  readonly firstSeenGeneration: number;
  /** `now` when first seen. */
  readonly firstSeenAt: Nanos | undefined;
  /**
   * Tasks outside the cycle whose every wait can only be ended by its members
   * (a third request queued on a deadlocked pool): downstream, told with the
   * cycle rather than as problems of their own. Set on `certain` cycles.
   */
  readonly blocked?: readonly DisplayId[];
}

/** A task that certainly can never be woken (`never-woken`), and why. */
export interface NeverWokenVerdict {
  readonly task: DisplayId;
  readonly waits: readonly Wait[];
  /** `proven`: no waker left, and no stuck task uses what it waits on; `doomed`: every wait is on a resource that can never free it. */
  readonly basis: "proven" | "doomed";
  /** One clause per reason, e.g. "m1 is locked and its guard was garbage-collected without being released". */
  readonly reasons: readonly string[];
}

/** Every stuck verdict of a store generation; lints and views read these. */
export interface StuckVerdicts {
  /** Deadlocks that certainly hold: basis `certain` or `proven`. */
  readonly cycles: readonly DeadlockCycle[];
  /** Closed cycles through ends only known to be used by their members (basis `likely`), not already told. */
  readonly likely: readonly DeadlockCycle[];
  readonly neverWoken: readonly NeverWokenVerdict[];
  /** Tasks stuck only because they wait on a problem told above: not a problem of their own. */
  readonly downstream: ReadonlySet<DisplayId>;
  /** Tasks named by a cycle or a never-woken verdict. */
  readonly named: ReadonlySet<DisplayId>;
}

/** Cumulative dropped-event counters, summed over all updates. */
export interface DroppedEvents {
  readonly tasks: bigint;
  readonly resources: bigint;
  readonly asyncOps: bigint;
}

/** One entry of a task's bounded timeline (observations, not a full trace). */
export type TimelineEntry =
  | { readonly type: "poll"; readonly start: Nanos; readonly end: Nanos | undefined }
  | { readonly type: "scheduled"; readonly start: Nanos; readonly end: Nanos }
  | { readonly type: "wake"; readonly at: Nanos; readonly waker: DisplayId | undefined }
  | { readonly type: "state"; readonly at: Nanos; readonly state: TaskState };

/** A poll at or above the store's `notablePollNs`, kept for the long-poll lint and traces. */
export interface LongPoll {
  readonly task: DisplayId;
  readonly start: Nanos;
  readonly end: Nanos;
}

export interface StoreOptions {
  /** Keep completed tasks and dropped resources/ops this long after they end (tokio-console: 6 s). `null` keeps them forever. */
  readonly retainForNs?: Nanos | null;
  /** Entries kept per task timeline (default 64 while the store holds up to 5,000 tasks, then fewer, down to 16, so that all timelines together keep at most 320,000 entries). */
  readonly timelineCapacity?: number;
  /** Polls at least this long are remembered store-wide (default 10 ms). */
  readonly notablePollNs?: Nanos;
  /** How many notable polls to keep (default 256). */
  readonly notablePollCapacity?: number;
}

// ---- lints -------------------------------------------------------------

export type Severity = "error" | "warning" | "info";

/** What a user chose for a lint, as with tokio-console's --warn / --allow (plus deny). */
export type LintLevel = "allow" | "warn" | "deny";

export interface LintDefinition {
  /** Kebab-case id, e.g. `self-wakes`, `deadlock-cycle`. */
  readonly id: string;
  readonly severity: Severity;
  /** One line, for a warnings box: "<count> tasks have ..." reads naturally. */
  readonly summary: string;
  /** A paragraph for the problem view. */
  readonly explanation: string;
  /** Repository-relative page: `docs/problems/<id>.md`. */
  readonly docsPath: string;
  /** tokio-console's lints are on by default there too; all ours are on by default. */
  readonly defaultLevel: LintLevel;
}

/** One instance of a lint firing. */
export interface Problem {
  /** Unique and stable while the problem lasts: `<lint>:<subject>`. */
  readonly id: string;
  readonly lint: string;
  readonly severity: Severity;
  /** `deny` makes `check` fail; `warn` reports. */
  readonly level: Exclude<LintLevel, "allow">;
  /** A full sentence about this instance. */
  readonly message: string;
  readonly docsPath: string;
  readonly tasks: readonly DisplayId[];
  readonly resources: readonly DisplayId[];
  readonly locations: readonly string[];
  /** For `deadlock-cycle`. */
  readonly cycle?: DeadlockCycle;
  /** For `long-poll`: the tasks that waited to be polled meanwhile. */
  readonly starved?: readonly DisplayId[];
}

export interface LintConfig {
  /** Lints to report; default: all. */
  readonly warn?: readonly string[];
  /** Lints to silence (`all` silences everything not denied), removed from `warn`. */
  readonly allow?: readonly string[] | "all";
  /** Lints whose problems should fail a check. */
  readonly deny?: readonly string[];
  /** Threshold overrides, in nanoseconds or fractions, per lint id. */
  readonly thresholds?: Partial<LintThresholds>;
}

export interface LintThresholds {
  /** self-wakes: percent, strictly greater (tokio-console: 50). */
  readonly selfWakePercent: number;
  /** never-yielded: busy time of a first poll (tokio-console: 1 s). */
  readonly neverYieldedNs: Nanos;
  /** large-future: bytes (tokio-console: 1024). */
  readonly largeFutureBytes: bigint;
  /** long-poll: a single poll at least this long (default 100 ms). */
  readonly longPollNs: Nanos;
  /** high-scheduled-time: share of lifetime spent scheduled (default 0.25)... */
  readonly highScheduledShare: number;
  /** ...over a life at least this long (default 1 s). */
  readonly highScheduledMinLifeNs: Nanos;
  /** lock-held-while-idle: holder idle this long while holding (default 1 s). */
  readonly lockIdleNs: Nanos;
  /** blocked-on-full-channel: send blocked this long (default 1 s). */
  readonly fullChannelNs: Nanos;
  /**
   * lock-held-across-stuck-await, limiter-slots-held-by-stuck: a holder blocked
   * in the same waits this long without a poll is stuck, not merely idle (default 30 s).
   */
  readonly stuckAwaitNs: Nanos;
}
