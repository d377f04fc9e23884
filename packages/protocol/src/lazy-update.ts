/**
 * Updates that stay in wire form until read. A busy runtime's Update is
 * megabytes on the wire and about eight times that as protobuf-es objects.
 * Decoded whole, every element is alive at once, survives V8's young
 * generation and lands in the old space, so the heap grows by a full decoded
 * update per publish interval until a major GC. Kept as bytes, an update
 * costs its wire size, and a reader that walks it section by section
 * (update-sections.ts) decodes one element at a time, each garbage before
 * the next is made.
 *
 * To every other reader a lazy Update is an ordinary `Update`: the first read
 * of a section (`taskUpdate`, ...) decodes that section exactly as
 * `fromBinary` would have, including the merge of repeated occurrences.
 */
import { fromBinary, mergeFromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import { RegisterMetadataSchema } from "./gen/console/common_pb.js";
import { UpdateSchema, type Update } from "./gen/console/instrument_pb.js";
import { AsyncOpUpdateSchema } from "./gen/console/async_ops_pb.js";
import { ResourceUpdateSchema } from "./gen/console/resources_pb.js";
import { TaskUpdateSchema } from "./gen/console/tasks_pb.js";
import { UpdateFrameSchema, type UpdateFrame } from "./gen/insight/update_frame_pb.js";

export type SectionName = "taskUpdate" | "resourceUpdate" | "asyncOpUpdate" | "newMetadata";

const SCHEMAS = {
  taskUpdate: TaskUpdateSchema,
  resourceUpdate: ResourceUpdateSchema,
  asyncOpUpdate: AsyncOpUpdateSchema,
  newMetadata: RegisterMetadataSchema,
} as const satisfies Record<SectionName, DescMessage>;

const SECTIONS = Object.keys(SCHEMAS) as SectionName[];

const WIRE = Symbol("insight.update-wire");

/** The still-encoded sections of a lazy update, each the contents of every occurrence on the wire. */
type UpdateWire = { [name in SectionName]: readonly Uint8Array[] };

interface LazyUpdate {
  [WIRE]?: UpdateWire;
}

/** Occurrences merged as protobuf-es merges a message field that appears more than once. */
function decodeMerged<D extends DescMessage>(schema: D, parts: readonly Uint8Array[]): MessageShape<D> | undefined {
  let message: MessageShape<D> | undefined;
  for (const part of parts) message = message === undefined ? fromBinary(schema, part) : mergeFromBinary(schema, message, part);
  return message;
}

// One getter per section, shared by every lazy update, so update-sections can
// tell a section that is still encoded from one that was read or replaced.
const GETTERS = Object.fromEntries(
  SECTIONS.map((name) => [
    name,
    function (this: Update & LazyUpdate) {
      const value = decodeMerged(SCHEMAS[name], this[WIRE]![name]);
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
  ]),
) as Record<SectionName, (this: Update) => unknown>;

const SETTERS = Object.fromEntries(
  SECTIONS.map((name) => [
    name,
    function (this: Update, value: unknown) {
      Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  ]),
) as Record<SectionName, (this: Update, value: unknown) => void>;

/** An Update whose sections are decoded on first read. */
export function lazyUpdate(frame: UpdateFrame): Update {
  const update = { $typeName: UpdateSchema.typeName } as Update & LazyUpdate;
  const now: Timestamp | undefined = decodeMerged(TimestampSchema, frame.now);
  if (now !== undefined) update.now = now;
  const wire: UpdateWire = {
    taskUpdate: frame.taskUpdate,
    resourceUpdate: frame.resourceUpdate,
    asyncOpUpdate: frame.asyncOpUpdate,
    newMetadata: frame.newMetadata,
  };
  Object.defineProperty(update, WIRE, { value: wire });
  // Absent sections stay absent properties, as in a decoded message.
  for (const name of SECTIONS) {
    if (wire[name].length === 0) continue;
    Object.defineProperty(update, name, { get: GETTERS[name], set: SETTERS[name], enumerable: true, configurable: true });
  }
  if (frame.$unknown && frame.$unknown.length > 0) update.$unknown = frame.$unknown;
  return update;
}

/** Same bytes as `fromBinary(UpdateSchema, bytes)`, decoded lazily. */
export function lazyUpdateFromBinary(bytes: Uint8Array): Update {
  return lazyUpdate(fromBinary(UpdateFrameSchema, bytes));
}

/**
 * Gives a lazy update its own copy of the bytes it still needs, so the
 * buffer they were read into can be reused for the next message. The copy
 * is one fresh buffer: if nothing holds the update any more, it is garbage
 * at the next scavenge, instead of a multi-megabyte message buffer that
 * lived long enough to be promoted and waits for a full collection.
 */
export function detachLazyUpdate(update: Update): void {
  const wire = (update as LazyUpdate)[WIRE];
  if (wire === undefined) return;
  let total = 0;
  for (const name of SECTIONS) {
    if (encodedSection(update, name) === undefined) wire[name] = [];
    else for (const part of wire[name]) total += part.length;
  }
  const copy = new Uint8Array(total);
  let offset = 0;
  for (const name of SECTIONS) {
    wire[name] = wire[name].map((part) => {
      copy.set(part, offset);
      offset += part.length;
      return copy.subarray(offset - part.length, offset);
    });
  }
  if (update.$unknown) update.$unknown = update.$unknown.map((field) => ({ ...field, data: field.data.slice() }));
}

/**
 * The encoded contents of a section that nobody has read or replaced yet;
 * undefined when the section is absent or already an object.
 */
export function encodedSection(update: Update, name: SectionName): readonly Uint8Array[] | undefined {
  const wire = (update as LazyUpdate)[WIRE];
  if (wire === undefined) return undefined;
  return Object.getOwnPropertyDescriptor(update, name)?.get === GETTERS[name] ? wire[name] : undefined;
}
