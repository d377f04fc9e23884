/** What the wake analysis finds: tasks, their polls, and every wake with its cause. */
import type { WakerOp } from "../trace-formats/runtime-event.js";

export interface TaskRef {
  /** Span id of the task's runtime.spawn span (synthetic for fmt/JSON input). */
  readonly spanId: string;
  readonly name: string;
  /** tokio's `task.id` field, when printed. */
  readonly taskId?: string;
}

/**
 * - `self`: the wake ran inside the woken task's own poll;
 * - `task`: it ran while another task was being polled (`by` names it);
 * - `outside`: no task was being polled (another thread, a driver, a timer);
 * - `undetermined`: the input cannot tell (fmt/JSON without span ids, or a
 *   console recording whose other wakes happened while several tasks ran).
 */
export type WakeCause = "self" | "task" | "outside" | "undetermined";

export interface Wake {
  readonly line: number;
  readonly atNs: bigint;
  readonly op: Extract<WakerOp, "wake" | "wake_by_ref">;
  /** The woken task, or undefined when its span id names no known task. */
  readonly woken: TaskRef | undefined;
  readonly wokenSpanId: string;
  readonly cause: WakeCause;
  /** The task whose poll issued the wake (`task`, and `undetermined` when the waker is known). */
  readonly by?: TaskRef;
  /** False when the cause was inferred from which tasks were running rather than read off the record. */
  readonly certain: boolean;
}

export interface Poll {
  readonly task: TaskRef;
  /** 1-based poll number within the task. */
  readonly index: number;
  readonly startLine: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  /** Time from the wake (or spawn, for the first poll) to the poll's start. */
  readonly scheduledNs: bigint;
  readonly busyNs: bigint;
}

export interface TaskSummary {
  readonly task: TaskRef;
  readonly kind: string;
  readonly createdNs?: bigint;
  readonly closedNs?: bigint;
  readonly polls: number;
  readonly busyNs: bigint;
  readonly scheduledNs: bigint;
  readonly wakes: number;
  readonly selfWakes: number;
  readonly wakerClones: number;
  readonly wakerDrops: number;
  /** Enter/exit pairs that only dropped the finished future (not polls). */
  readonly dropEnters: number;
}

export interface WakeGraphEdge {
  /** `outside` for wakes from outside the runtime; `?` when undetermined. */
  readonly from: TaskRef | "outside" | "?";
  readonly to: TaskRef | undefined;
  readonly toSpanId: string;
  readonly count: number;
  readonly self: boolean;
}

export interface WakeReport {
  readonly tasks: readonly TaskSummary[];
  readonly polls: readonly Poll[];
  readonly wakes: readonly Wake[];
  readonly edges: readonly WakeGraphEdge[];
  /** Whether span ids join wakes to tasks (false for fmt/JSON input). */
  readonly joinable: boolean;
}
