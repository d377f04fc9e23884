/**
 * Whether a reconnect landed on the process the console knew, or on a new
 * one (the target restarted, or another process took its address).
 *
 * The evidence on the wire: a new connection starts with a full snapshot,
 * and a full snapshot lists every live task with its stats, whose
 * `created_at` is set once when the task is spawned and never changes. A
 * process that is still the same one therefore sends at least one task the
 * console already knew, under the same span id and with the same
 * `created_at` to the nanosecond. A new process cannot: its tasks were all
 * created after it started. So the first update of a new connection is
 * judged "same" when one of its tasks matches a known (span id, created_at)
 * pair, and "new" otherwise. A same process whose old tasks have all ended
 * is judged "new" too; that is harmless, since none of its old tasks
 * survives into the new snapshot anyway.
 *
 * A split first snapshot is judged on its first piece: insight's server
 * lists tasks oldest first (the main task leads), and console-subscriber
 * never splits.
 */
import { updateSections, type TimestampView, type Update } from "@async-insight/protocol";

export type ProcessVerdict = "same" | "new";

/** The creation time (ns since the epoch) of the task a span id named before the reconnect, if known. */
export type KnownCreation = (spanId: string) => bigint | undefined;

function nanosOf(ts: TimestampView): bigint {
  return BigInt(ts.seconds) * 1_000_000_000n + BigInt(ts.nanos);
}

/** Judges the first update of a new connection against what the console knew before it. */
export function judgeFirstUpdate(update: Update, known: KnownCreation): ProcessVerdict {
  let same = false;
  updateSections(update).tasks?.forEachStatsView((key, stats) => {
    // The view is reused between callbacks: read it now, keep nothing.
    if (same || !stats.createdAt) return;
    const before = known(key);
    if (before !== undefined && before === nanosOf(stats.createdAt)) same = true;
  });
  return same ? "same" : "new";
}

/**
 * The (span id → created_at) pairs of a target's live tasks, for consumers
 * without an engine store (the recorder). Ended tasks are forgotten, so the
 * map stays as large as the live task set.
 */
export class TaskBirths {
  readonly #births = new Map<string, bigint>();

  observe(update: Update): void {
    updateSections(update).tasks?.forEachStatsView((key, stats) => {
      if (stats.droppedAt) this.#births.delete(key);
      else if (stats.createdAt) this.#births.set(key, nanosOf(stats.createdAt));
    });
  }

  readonly createdAt: KnownCreation = (spanId) => this.#births.get(spanId);

  clear(): void {
    this.#births.clear();
  }
}

/**
 * Follows one live watch: told of each connection and each update, says
 * which update starts a new process. The first connection's data is never
 * a restart; each later connection's first update is judged.
 */
export class RestartDetector {
  #connections = 0;
  #judging = false;

  constructor(private readonly known: KnownCreation) {}

  connected(): void {
    this.#connections += 1;
    this.#judging = this.#connections > 1;
  }

  /** Call before applying the update; true when it is the first of a new process. */
  startsNewProcess(update: Update): boolean {
    if (!this.#judging) return false;
    this.#judging = false;
    return judgeFirstUpdate(update, this.known) === "new";
  }
}
