/**
 * One console's WatchUpdates stream: its snapshot (shared with the consoles
 * attaching at the same time, shared-snapshot.ts), built in slices with the
 * event loop free between them, then the deltas published meanwhile and
 * after. Its queue is bounded by count and by encoded bytes; a console that
 * falls that far behind is ended with RESOURCE_EXHAUSTED and the reason,
 * never with OK (a console ended with OK never learnt it was dropped).
 */
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { encodeOnce, GrpcError, GrpcStatus, MessageQueue } from "@async-insight/protocol/server";
import { now, toEpochNanos } from "./clock.js";
import type { SnapshotSlicer, UnreadIds } from "./snapshot-slicer.js";
import type { SharedSnapshot } from "./shared-snapshot.js";

export interface WatcherLimits {
  /** Updates queued for a console before it is ended (console-subscriber: 4096). */
  readonly maxUpdates: number;
  /** Encoded bytes queued for a console before it is ended. */
  readonly maxBytes: number;
}

export const DEFAULT_WATCHER_LIMITS: WatcherLimits = { maxUpdates: 64, maxBytes: 32 * 1024 * 1024 };

const sizeOf = (update: Update) => encodeOnce(UpdateSchema, update).length;

export class UpdateWatcher {
  readonly #queue: MessageQueue<Update>;
  readonly #slicer: SnapshotSlicer;
  readonly #limits: WatcherLimits;
  /** Until this console has read the whole snapshot. */
  #snapshot: SharedSnapshot | undefined;
  /** Deltas queued while the snapshot was still being sliced, with how far it had got. */
  readonly #queuedDuringSnapshot = new Map<Update, number>();

  /** Joins `snapshot` (new or being built); the deltas published since it began are this console's too. */
  constructor(snapshot: SharedSnapshot, limits: WatcherLimits = DEFAULT_WATCHER_LIMITS) {
    this.#limits = limits;
    this.#queue = new MessageQueue<Update>(limits.maxUpdates, { maxBytes: limits.maxBytes, sizeOf });
    this.#snapshot = snapshot;
    this.#slicer = snapshot.slicer;
    for (const { update, position } of snapshot.deltas) this.push(update, position);
  }

  /** Queues a delta; false (and the stream fails with the reason) when the console is too far behind. */
  push(update: Update, position = this.#slicer.position): boolean {
    if (this.#queue.push(update)) {
      if (position < this.#slicer.total || !this.#slicer.done) this.#queuedDuringSnapshot.set(update, position);
      return true;
    }
    const { maxUpdates, maxBytes } = this.#limits;
    this.#queue.fail(
      new GrpcError(
        GrpcStatus.RESOURCE_EXHAUSTED,
        `this console fell behind: it had not taken ${this.#queue.size} updates (${(this.#queue.bytes / 1048576).toFixed(1)} MiB; the limit is ${maxUpdates} updates or ${maxBytes / 1048576} MiB), so the target ended its stream; reconnect for a fresh snapshot`,
      ),
    );
    this.#queuedDuringSnapshot.clear();
    return false;
  }

  close(): void {
    this.#queue.close();
  }

  async *stream(signal: AbortSignal): AsyncGenerator<Update> {
    this.#queue.closeOn(signal);
    // Pieces are built one slice at a time across consoles, each in its own
    // macrotask, paced (slice-turns.ts): the host's I/O and timers run in between.
    for (let index = 0; this.#snapshot !== undefined; index++) {
      const piece = await this.#snapshot.piece(index);
      if (signal.aborted) return;
      if (piece === undefined) break;
      yield piece;
    }
    // Past the snapshot: its pieces may go once every console has read them.
    this.#snapshot = undefined;
    // The snapshot's pieces share the attach time as `now`; an empty update
    // stamped with the present ends it for a client that reads until the
    // instant changes (`consolation dump`), without waiting for a delta.
    yield create(UpdateSchema, { now: nanosToTimestamp(toEpochNanos(now())) });
    for await (const delta of this.#queue) {
      const position = this.#queuedDuringSnapshot.get(delta);
      if (position === undefined) {
        yield delta;
        continue;
      }
      this.#queuedDuringSnapshot.delete(delta);
      yield position < this.#slicer.total ? withoutEntities(delta, this.#slicer.unreadFrom(position)) : delta;
    }
  }
}

function keep<T>(map: Record<string, T>, drop: ReadonlySet<string>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [id, value] of Object.entries(map)) if (!drop.has(id)) out[id] = value;
  return out;
}

const idOf = (entity: { id?: { id: bigint } | undefined }) => String(entity.id?.id ?? "");

/**
 * A delta built while the snapshot was being sliced, without the entities
 * the snapshot read after it: the snapshot's copy of those is newer, and
 * applying the delta after it would move them back in time.
 */
function withoutEntities(delta: Update, unread: UnreadIds): Update {
  const { taskUpdate, resourceUpdate, asyncOpUpdate } = delta;
  return {
    ...delta,
    taskUpdate: taskUpdate && {
      ...taskUpdate,
      newTasks: taskUpdate.newTasks.filter((t) => !unread.tasks.has(idOf(t))),
      statsUpdate: keep(taskUpdate.statsUpdate, unread.tasks),
    },
    resourceUpdate: resourceUpdate && {
      ...resourceUpdate,
      newResources: resourceUpdate.newResources.filter((r) => !unread.resources.has(idOf(r))),
      statsUpdate: keep(resourceUpdate.statsUpdate, unread.resources),
    },
    asyncOpUpdate: asyncOpUpdate && {
      ...asyncOpUpdate,
      newAsyncOps: asyncOpUpdate.newAsyncOps.filter((o) => !unread.ops.has(idOf(o))),
      statsUpdate: keep(asyncOpUpdate.statsUpdate, unread.ops),
    },
  };
}
