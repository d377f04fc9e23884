/**
 * Reading an Update section by section, in whatever order the reader needs,
 * the same way for a decoded update and a lazy one (lazy-update.ts). For a
 * lazy one each element is decoded just before its callback, so a reader
 * that keeps only what it needs never holds the decoded update: the garbage
 * of one element is collectable while the next is decoded.
 *
 * Both paths yield what protobuf-es would have decoded, in the same order:
 * repeated fields in wire order, across merged occurrences of a section;
 * stats maps in the order `for...in` visits the decoded map (numeric keys
 * below 2^32 first, ascending, then insertion order), a repeated key keeping
 * its first place and its last value.
 */
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { RegisterMetadata_NewMetadataSchema, type RegisterMetadata_NewMetadata } from "./gen/console/common_pb.js";
import type { Update } from "./gen/console/instrument_pb.js";
import { AsyncOpSchema, StatsSchema as AsyncOpStatsSchema, type AsyncOp, type Stats as AsyncOpStats } from "./gen/console/async_ops_pb.js";
import {
  PollOpSchema,
  ResourceSchema,
  StatsSchema as ResourceStatsSchema,
  type PollOp,
  type Resource,
  type Stats as ResourceStats,
} from "./gen/console/resources_pb.js";
import { TaskSchema, StatsSchema as TaskStatsSchema, type Stats as TaskStats, type Task } from "./gen/console/tasks_pb.js";
import { encodedSection } from "./lazy-update.js";
import { fastFromBinary } from "./private/fast-decode.js";
import { forEachMapEntry } from "./private/map-order.js";
import { readTaskStatsView, type TaskStatsView } from "./private/task-stats-view.js";
import { forEachOccurrence, lastVarint } from "./private/wire-walk.js";

export interface EntitySection<New, Stats> {
  readonly droppedEvents: bigint;
  /** New entities, in wire order. */
  forEachNew(fn: (entity: New) => void): void;
  /** The stats map; keys are decimal span ids, as in the decoded map. */
  forEachStats(fn: (key: string, stats: Stats) => void): void;
}

export interface ResourceSection extends EntitySection<Resource, ResourceStats> {
  forEachPollOp(fn: (op: PollOp) => void): void;
}

export interface TaskSection extends EntitySection<Task, TaskStats> {
  /**
   * The stats map as forEachStats yields it, but each value may be one
   * reused view with 64-bit values as numbers (task-stats-view.ts), valid
   * only during the callback: for readers that take values and keep nothing.
   */
  forEachStatsView(fn: (key: string, stats: TaskStatsView) => void): void;
}

export interface UpdateSections {
  readonly now: Timestamp | undefined;
  /** Undefined when the update has no `taskUpdate`; likewise below. */
  readonly tasks: TaskSection | undefined;
  readonly resources: ResourceSection | undefined;
  readonly asyncOps: EntitySection<AsyncOp, AsyncOpStats> | undefined;
  forEachMetadata(fn: (entry: RegisterMetadata_NewMetadata) => void): void;
}

class DecodedSection<New, Stats> implements EntitySection<New, Stats> {
  constructor(
    private readonly news: readonly New[],
    private readonly stats: { readonly [key: string]: Stats },
    readonly droppedEvents: bigint,
    private readonly pollOps: readonly PollOp[] = [],
  ) {}

  forEachNew(fn: (entity: New) => void): void {
    for (const entity of this.news) fn(entity);
  }

  forEachStats(fn: (key: string, stats: Stats) => void): void {
    for (const key in this.stats) fn(key, this.stats[key]!);
  }

  forEachPollOp(fn: (op: PollOp) => void): void {
    for (const op of this.pollOps) fn(op);
  }
}

/** Field numbers of one section message (console-api's tasks/resources/async_ops.proto). */
interface Layout<New extends DescMessage, Stats extends DescMessage> {
  readonly newField: number;
  readonly newSchema: New;
  readonly statsField: number;
  readonly statsSchema: Stats;
  readonly droppedField: number;
  readonly pollOpField?: number;
}

const TASKS: Layout<typeof TaskSchema, typeof TaskStatsSchema> = {
  newField: 1,
  newSchema: TaskSchema,
  statsField: 3,
  statsSchema: TaskStatsSchema,
  droppedField: 4,
};
const RESOURCES: Layout<typeof ResourceSchema, typeof ResourceStatsSchema> = {
  newField: 1,
  newSchema: ResourceSchema,
  statsField: 2,
  statsSchema: ResourceStatsSchema,
  droppedField: 4,
  pollOpField: 3,
};
const ASYNC_OPS: Layout<typeof AsyncOpSchema, typeof AsyncOpStatsSchema> = {
  newField: 1,
  newSchema: AsyncOpSchema,
  statsField: 2,
  statsSchema: AsyncOpStatsSchema,
  droppedField: 3,
};
const METADATA_FIELD = 1;
const MAP_KEY = 1;
const MAP_VALUE = 2;
const EMPTY = new Uint8Array(0);

function decodeAt<D extends DescMessage>(schema: D, parts: readonly Uint8Array[], part: number, start: number, end: number): MessageShape<D> {
  return fastFromBinary(schema, parts[part]!, start, end);
}

class EncodedSection<New extends DescMessage, Stats extends DescMessage> implements EntitySection<MessageShape<New>, MessageShape<Stats>> {
  constructor(
    protected readonly parts: readonly Uint8Array[],
    private readonly layout: Layout<New, Stats>,
  ) {}

  get droppedEvents(): bigint {
    return lastVarint(this.parts, this.layout.droppedField);
  }

  forEachNew(fn: (entity: MessageShape<New>) => void): void {
    const schema = this.layout.newSchema;
    forEachOccurrence(this.parts, this.layout.newField, (reader, end, part) => fn(decodeAt(schema, this.parts, part, reader.pos, end)));
  }

  forEachStats(fn: (key: string, stats: MessageShape<Stats>) => void): void {
    const schema = this.layout.statsSchema;
    const done = forEachMapEntry(this.parts, this.layout.statsField, (key, part, start, end) =>
      fn(key, start < 0 ? fastFromBinary(schema, EMPTY) : decodeAt(schema, this.parts, part, start, end)),
    );
    if (!done) this.#forEachStatsInMapOrder(fn);
  }

  /** The general case: order as `for...in` over the decoded map, a repeated key keeping its first place and last value. */
  #forEachStatsInMapOrder(fn: (key: string, stats: MessageShape<Stats>) => void): void {
    // A null-prototype object orders its keys exactly as the decoded map's `{}` does.
    const order: Record<string, number> = Object.create(null);
    // Per entry: part, start and end of its value; part -1 when it has none.
    const values: number[] = [];
    forEachOccurrence(this.parts, this.layout.statsField, (reader, end, part) => {
      let key = "0";
      let valuePart = -1;
      let valueStart = 0;
      let valueEnd = 0;
      while (reader.pos < end) {
        const [no, wireType] = reader.tag();
        if (no === MAP_KEY) key = String(reader.uint64());
        else if (no === MAP_VALUE && wireType === WireType.LengthDelimited) {
          valueEnd = reader.uint32() + reader.pos;
          valueStart = reader.pos;
          valuePart = part;
          reader.pos = valueEnd;
        } else reader.skip(wireType, no);
      }
      let index = order[key];
      if (index === undefined) {
        index = order[key] = values.length;
        values.push(0, 0, 0);
      }
      values[index] = valuePart;
      values[index + 1] = valueStart;
      values[index + 2] = valueEnd;
    });
    const schema = this.layout.statsSchema;
    for (const key in order) {
      const index = order[key]!;
      const part = values[index]!;
      fn(key, part < 0 ? fastFromBinary(schema, EMPTY) : decodeAt(schema, this.parts, part, values[index + 1]!, values[index + 2]!));
    }
  }

  forEachPollOp(fn: (op: PollOp) => void): void {
    const field = this.layout.pollOpField;
    if (field === undefined) return;
    forEachOccurrence(this.parts, field, (reader, end, part) => fn(decodeAt(PollOpSchema, this.parts, part, reader.pos, end)));
  }
}

class DecodedTasks extends DecodedSection<Task, TaskStats> implements TaskSection {
  forEachStatsView(fn: (key: string, stats: TaskStatsView) => void): void {
    this.forEachStats(fn);
  }
}

class EncodedTasks extends EncodedSection<typeof TaskSchema, typeof TaskStatsSchema> implements TaskSection {
  forEachStatsView(fn: (key: string, stats: TaskStatsView) => void): void {
    const parts = this.parts;
    const done = forEachMapEntry(parts, TASKS.statsField, (key, part, start, end) => {
      const bytes = start < 0 ? EMPTY : parts[part]!;
      fn(key, readTaskStatsView(bytes, Math.max(0, start), Math.max(0, end)) ?? fastFromBinary(TaskStatsSchema, bytes, Math.max(0, start), Math.max(0, end)));
    });
    if (!done) this.forEachStats(fn);
  }
}

export function updateSections(update: Update): UpdateSections {
  const encodedTasks = encodedSection(update, "taskUpdate");
  const encodedResources = encodedSection(update, "resourceUpdate");
  const encodedOps = encodedSection(update, "asyncOpUpdate");
  const encodedMetadata = encodedSection(update, "newMetadata");
  const tu = encodedTasks ? undefined : update.taskUpdate;
  const ru = encodedResources ? undefined : update.resourceUpdate;
  const au = encodedOps ? undefined : update.asyncOpUpdate;
  return {
    now: update.now,
    tasks: encodedTasks ? new EncodedTasks(encodedTasks, TASKS) : tu && new DecodedTasks(tu.newTasks, tu.statsUpdate, tu.droppedEvents),
    resources: encodedResources
      ? new EncodedSection(encodedResources, RESOURCES)
      : ru && new DecodedSection(ru.newResources, ru.statsUpdate, ru.droppedEvents, ru.newPollOps),
    asyncOps: encodedOps ? new EncodedSection(encodedOps, ASYNC_OPS) : au && new DecodedSection(au.newAsyncOps, au.statsUpdate, au.droppedEvents),
    forEachMetadata(fn) {
      if (encodedMetadata) {
        forEachOccurrence(encodedMetadata, METADATA_FIELD, (reader, end, part) =>
          fn(decodeAt(RegisterMetadata_NewMetadataSchema, encodedMetadata, part, reader.pos, end)),
        );
      } else for (const entry of update.newMetadata?.metadata ?? []) fn(entry);
    },
  };
}
