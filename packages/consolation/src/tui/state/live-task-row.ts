/** A task-list row kept from frame to frame: its fixed text formatted once, its numbers refreshed in place. */
import { LONG_FIELD_WIDTH, readTaskNanos, safeText, taskActivity, type RuntimeStore, type TaskNanos, type TaskRecord } from "@async-insight/engine";
import { displayLocation } from "../../format/location.js";
import { fieldPairs, pairsText } from "../../wording/task-text.js";
import type { TaskActivity, TaskRow } from "./view-model.js";

/** The sparkline: busy share over the last 12 s in six cells, as wide as the column draws it. */
const SPARK_WINDOW_NS = 12_000_000_000n;
const SPARK_CELLS = 6;

export interface FixedText {
  readonly name: string;
  readonly kind: string;
  readonly location: string;
  readonly fields: string;
}

/** Name, kind, location and fields never change after a task appears; formatting them is most of a row's cost. */
export function fixedText(task: TaskRecord): FixedText {
  return {
    name: safeText(task.name ?? ""),
    kind: safeText(task.kind),
    location: task.location ? safeText(displayLocation(task.location), LONG_FIELD_WIDTH) : "",
    fields: safeText(pairsText(fieldPairs(task)), LONG_FIELD_WIDTH),
  };
}

/**
 * A task row refreshed in place each generation; the sparkline is worked out
 * only for rows that are drawn. Durations are kept as numbers, refreshed
 * without allocating (readTaskNanos), and made bigints only when a view reads
 * them: at 10k tasks, five fresh bigints a row on every update were most of
 * the garbage a frame left, and the collector's time with it.
 */
export class LiveTaskRow implements TaskRow {
  readonly key: string;
  readonly protocolId: bigint;
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly location: string;
  readonly fields: string;
  readonly share = { running: 0, ready: 0, blocked: 0 };
  readonly nanos: TaskNanos = { total: 0, busy: 0, scheduled: 0, idle: 0, polls: 0 };
  state: TaskActivity = "idle";
  warnings = 0;
  /** The store generation that last refreshed the row: older means its task is gone. */
  generation = 0;
  readonly #store: RuntimeStore;
  readonly #task: bigint;
  #recent: readonly number[] | undefined;

  constructor(task: TaskRecord, fixed: FixedText, store: RuntimeStore) {
    this.key = this.id = String(task.id);
    this.protocolId = task.spanId;
    this.#task = task.id;
    this.#store = store;
    ({ name: this.name, kind: this.kind, location: this.location, fields: this.fields } = fixed);
  }

  get totalNs(): bigint {
    return BigInt(this.nanos.total);
  }
  get busyNs(): bigint {
    return BigInt(this.nanos.busy);
  }
  get scheduledNs(): bigint {
    return BigInt(this.nanos.scheduled);
  }
  get idleNs(): bigint {
    return BigInt(this.nanos.idle);
  }
  get polls(): bigint {
    return BigInt(this.nanos.polls);
  }

  refresh(task: TaskRecord, warnings: number): void {
    const share = task.share;
    this.state = taskActivity(this.#store, task);
    this.share.running = share.busy;
    this.share.ready = share.scheduled;
    this.share.blocked = share.idle;
    readTaskNanos(task, this.nanos);
    this.warnings = warnings;
    this.#recent = undefined;
  }

  get recent(): readonly number[] {
    return (this.#recent ??= this.#store.recentActivity(this.#task, SPARK_WINDOW_NS, SPARK_CELLS));
  }
}
