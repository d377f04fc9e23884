/**
 * Splits an `Update` that would encode past a size budget into several
 * smaller ones. tonic clients, tokio-console among them, refuse messages over
 * 4 MiB by default; console-subscriber copes by halving retention until the
 * snapshot fits, which silently hides history. We send everything instead, in
 * pieces a default client accepts.
 *
 * Ordering keeps each piece self-sufficient for a console: all metadata comes
 * first, an entity travels with its own stats, and cumulative drop counters
 * ride on the first piece only so that summing them stays correct.
 */
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { UpdateSchema, type Update } from "../gen/console/instrument_pb.js";
import { encodeOnce } from "../private/encoded-once.js";
import { RegisterMetadataSchema, type RegisterMetadata_NewMetadata } from "../gen/console/common_pb.js";
import { TaskUpdateSchema, TaskSchema, StatsSchema as TaskStatsSchema } from "../gen/console/tasks_pb.js";
import { ResourceUpdateSchema, ResourceSchema, PollOpSchema, StatsSchema as ResourceStatsSchema } from "../gen/console/resources_pb.js";
import { AsyncOpUpdateSchema, AsyncOpSchema, StatsSchema as AsyncOpStatsSchema } from "../gen/console/async_ops_pb.js";

/** tonic's default decoding limit. */
export const DEFAULT_CLIENT_LIMIT_BYTES = 4 * 1024 * 1024;
/** Room left for the envelope fields each piece repeats (now, sub-message tags). */
const ENVELOPE_ALLOWANCE = 1024;
/** Per-item tag, length prefix and map-entry overhead, rounded up. */
const ITEM_OVERHEAD = 24;

type Placer = (piece: Update) => void;

interface Item {
  readonly bytes: number;
  readonly place: Placer;
}

function sizeOf<D extends DescMessage>(schema: D, message: MessageShape<D>): number {
  return toBinary(schema, message).length + ITEM_OVERHEAD;
}

function emptyPiece(now: Update["now"]): Update {
  return create(UpdateSchema, { now });
}

function tasksOf(piece: Update) {
  return (piece.taskUpdate ??= create(TaskUpdateSchema));
}
function resourcesOf(piece: Update) {
  return (piece.resourceUpdate ??= create(ResourceUpdateSchema));
}
function asyncOpsOf(piece: Update) {
  return (piece.asyncOpUpdate ??= create(AsyncOpUpdateSchema));
}
function metadataOf(piece: Update) {
  return (piece.newMetadata ??= create(RegisterMetadataSchema));
}

function metadataItem(entry: RegisterMetadata_NewMetadata): Item {
  return {
    bytes: toBinary(RegisterMetadataSchema, create(RegisterMetadataSchema, { metadata: [entry] })).length + ITEM_OVERHEAD,
    place: (piece) => metadataOf(piece).metadata.push(entry),
  };
}

/** Every item of the update, in the order pieces should carry them. */
function itemsOf(update: Update): Item[] {
  const items: Item[] = (update.newMetadata?.metadata ?? []).map(metadataItem);
  const tasks = update.taskUpdate;
  if (tasks) {
    const statsLeft = { ...tasks.statsUpdate };
    for (const task of tasks.newTasks) {
      const key = task.id?.id.toString();
      const stats = key === undefined ? undefined : statsLeft[key];
      if (key !== undefined) delete statsLeft[key];
      items.push({
        bytes: sizeOf(TaskSchema, task) + (stats ? sizeOf(TaskStatsSchema, stats) : 0),
        place: (piece) => {
          tasksOf(piece).newTasks.push(task);
          if (stats && key !== undefined) tasksOf(piece).statsUpdate[key] = stats;
        },
      });
    }
    for (const [key, stats] of Object.entries(statsLeft)) {
      items.push({ bytes: sizeOf(TaskStatsSchema, stats), place: (piece) => void (tasksOf(piece).statsUpdate[key] = stats) });
    }
  }
  const resources = update.resourceUpdate;
  if (resources) {
    const statsLeft = { ...resources.statsUpdate };
    for (const resource of resources.newResources) {
      const key = resource.id?.id.toString();
      const stats = key === undefined ? undefined : statsLeft[key];
      if (key !== undefined) delete statsLeft[key];
      items.push({
        bytes: sizeOf(ResourceSchema, resource) + (stats ? sizeOf(ResourceStatsSchema, stats) : 0),
        place: (piece) => {
          resourcesOf(piece).newResources.push(resource);
          if (stats && key !== undefined) resourcesOf(piece).statsUpdate[key] = stats;
        },
      });
    }
    for (const [key, stats] of Object.entries(statsLeft)) {
      items.push({ bytes: sizeOf(ResourceStatsSchema, stats), place: (piece) => void (resourcesOf(piece).statsUpdate[key] = stats) });
    }
    for (const op of resources.newPollOps) {
      items.push({ bytes: sizeOf(PollOpSchema, op), place: (piece) => void resourcesOf(piece).newPollOps.push(op) });
    }
  }
  const ops = update.asyncOpUpdate;
  if (ops) {
    const statsLeft = { ...ops.statsUpdate };
    for (const op of ops.newAsyncOps) {
      const key = op.id?.id.toString();
      const stats = key === undefined ? undefined : statsLeft[key];
      if (key !== undefined) delete statsLeft[key];
      items.push({
        bytes: sizeOf(AsyncOpSchema, op) + (stats ? sizeOf(AsyncOpStatsSchema, stats) : 0),
        place: (piece) => {
          asyncOpsOf(piece).newAsyncOps.push(op);
          if (stats && key !== undefined) asyncOpsOf(piece).statsUpdate[key] = stats;
        },
      });
    }
    for (const [key, stats] of Object.entries(statsLeft)) {
      items.push({ bytes: sizeOf(AsyncOpStatsSchema, stats), place: (piece) => void (asyncOpsOf(piece).statsUpdate[key] = stats) });
    }
  }
  return items;
}

/**
 * Returns `[update]` when it fits in `maxBytes`, otherwise pieces that each
 * fit (an item larger than the budget on its own still gets a piece to itself).
 */
export function splitUpdate(update: Update, maxBytes: number = DEFAULT_CLIENT_LIMIT_BYTES): Update[] {
  if (encodeOnce(UpdateSchema, update).length <= maxBytes) return [update];
  const budget = Math.max(maxBytes - ENVELOPE_ALLOWANCE, 1);
  const pieces: Update[] = [];
  let piece = emptyPiece(update.now);
  let used = 0;
  for (const item of itemsOf(update)) {
    if (used > 0 && used + item.bytes > budget) {
      pieces.push(piece);
      piece = emptyPiece(update.now);
      used = 0;
    }
    item.place(piece);
    used += item.bytes;
  }
  pieces.push(piece);
  const [first] = pieces;
  if (first) {
    if (update.taskUpdate?.droppedEvents) tasksOf(first).droppedEvents = update.taskUpdate.droppedEvents;
    if (update.resourceUpdate?.droppedEvents) resourcesOf(first).droppedEvents = update.resourceUpdate.droppedEvents;
    if (update.asyncOpUpdate?.droppedEvents) asyncOpsOf(first).droppedEvents = update.asyncOpUpdate.droppedEvents;
  }
  return pieces;
}
