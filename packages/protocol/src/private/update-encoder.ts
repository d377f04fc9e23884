/**
 * A hand-written protobuf encoder for `Update`, the one message a console
 * server sends every publish interval. protobuf-es encodes by reflection and
 * copies every nested message out of its own buffer, which made a 40 KB
 * insight delta cost about 5 ms: a pause in the host app once a second.
 * This writes the same bytes in one buffer, nested lengths patched in place.
 *
 * The field numbers follow proto/console/*.proto; update-encoder.test.ts
 * checks the output byte for byte against protobuf-es on messages with every
 * field set, so a change to the .proto files that is not mirrored here fails.
 * Unknown fields are not written: servers build their updates, never relay them.
 */
import type { Attribute, Field, Location, MetaId, PollStats, RegisterMetadata, SpanId, Id } from "../gen/console/common_pb.js";
import type { Update } from "../gen/console/instrument_pb.js";
import type { AsyncOp, AsyncOpUpdate, Stats as AsyncOpStats } from "../gen/console/async_ops_pb.js";
import type { PollOp, Resource, ResourceUpdate, Stats as ResourceStats } from "../gen/console/resources_pb.js";
import type { Stats as TaskStats, Task, TaskUpdate } from "../gen/console/tasks_pb.js";

const VARINT = 0;
const LEN = 2;
const TWO_POW_32 = 0x1_0000_0000;

class Writer {
  buf = new Uint8Array(4096);
  pos = 0;
  readonly #text = new TextEncoder();

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  tag(field: number, wire: number): void {
    this.uint32((field << 3) | wire);
  }

  uint32(n: number): void {
    this.ensure(5);
    while (n > 0x7f) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  /** Any 64-bit value as protobuf varints carry it: negatives as two's complement. */
  uint64(value: bigint): void {
    if (value >= 0n && value < 0x8000_0000n) {
      this.uint32(Number(value));
      return;
    }
    let v = BigInt.asUintN(64, value);
    this.ensure(10);
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  int32(n: number): void {
    if (n >= 0) this.uint32(n);
    else this.uint64(BigInt(n));
  }

  string(s: string): void {
    // Reserve the worst case, write, then settle the length prefix.
    const start = this.fork();
    this.ensure(s.length * 3);
    this.pos += this.#text.encodeInto(s, this.buf.subarray(this.pos)).written;
    this.join(start);
  }

  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Starts a length-delimited body with a one-byte length placeholder, which is right for most. */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  join(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(start + 1 + extra, start + 1, this.pos);
    this.pos += extra;
    let at = start;
    let n = length;
    while (n > 0x7f) {
      this.buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[at] = n;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = n >= TWO_POW_32 ? n / 128 : n >>> 7;
    size++;
  }
  return size;
}

// ---- scalar fields with proto3 rules: implicit presence skips the zero value ----

function u64Field(w: Writer, field: number, value: bigint): void {
  if (value === 0n) return;
  w.tag(field, VARINT);
  w.uint64(value);
}

function stringField(w: Writer, field: number, value: string): void {
  if (value === "") return;
  w.tag(field, LEN);
  w.string(value);
}

function boolField(w: Writer, field: number, value: boolean): void {
  if (!value) return;
  w.tag(field, VARINT);
  w.uint32(1);
}

function messageField<T>(w: Writer, field: number, value: T | undefined, body: (w: Writer, value: T) => void): void {
  if (value === undefined) return;
  w.tag(field, LEN);
  const start = w.fork();
  body(w, value);
  w.join(start);
}

function repeatedField<T>(w: Writer, field: number, values: readonly T[], body: (w: Writer, value: T) => void): void {
  for (const value of values) messageField(w, field, value, body);
}

/** map<uint64, M>: protobuf-es keeps 64-bit keys as decimal strings and writes both entry fields always. */
function mapField<T>(w: Writer, field: number, map: { readonly [key: string]: T }, body: (w: Writer, value: T) => void): void {
  for (const key in map) {
    w.tag(field, LEN);
    const start = w.fork();
    w.tag(1, VARINT);
    w.uint64(BigInt(key));
    w.tag(2, LEN);
    const inner = w.fork();
    body(w, map[key]!);
    w.join(inner);
    w.join(start);
  }
}

// ---- messages ----

function timeBody(w: Writer, t: { seconds: bigint; nanos: number }): void {
  u64Field(w, 1, t.seconds);
  if (t.nanos !== 0) {
    w.tag(2, VARINT);
    w.int32(t.nanos);
  }
}

function idBody(w: Writer, id: Id | MetaId | SpanId): void {
  u64Field(w, 1, id.id);
}

function locationBody(w: Writer, l: Location): void {
  if (l.file !== undefined) w.tag(1, LEN), w.string(l.file);
  if (l.modulePath !== undefined) w.tag(2, LEN), w.string(l.modulePath);
  if (l.line !== undefined) w.tag(3, VARINT), w.uint32(l.line);
  if (l.column !== undefined) w.tag(4, VARINT), w.uint32(l.column);
}

function fieldBody(w: Writer, f: Field): void {
  const name = f.name;
  if (name.case === "strName") w.tag(1, LEN), w.string(name.value);
  else if (name.case === "nameIdx") w.tag(2, VARINT), w.uint64(name.value);
  const value = f.value;
  switch (value.case) {
    case "debugVal":
      w.tag(3, LEN);
      w.string(value.value);
      break;
    case "strVal":
      w.tag(4, LEN);
      w.string(value.value);
      break;
    case "u64Val":
      w.tag(5, VARINT);
      w.uint64(value.value);
      break;
    case "i64Val":
      w.tag(6, VARINT);
      // sint64: zigzag
      w.uint64(BigInt.asUintN(64, (value.value << 1n) ^ (value.value >> 63n)));
      break;
    case "boolVal":
      w.tag(7, VARINT);
      w.uint32(value.value ? 1 : 0);
      break;
  }
  messageField(w, 8, f.metadataId, idBody);
}

function attributeBody(w: Writer, a: Attribute): void {
  messageField(w, 1, a.field, fieldBody);
  if (a.unit !== undefined) w.tag(2, LEN), w.string(a.unit);
}

function pollStatsBody(w: Writer, p: PollStats): void {
  u64Field(w, 1, p.polls);
  messageField(w, 3, p.firstPoll, timeBody);
  messageField(w, 4, p.lastPollStarted, timeBody);
  messageField(w, 5, p.lastPollEnded, timeBody);
  messageField(w, 6, p.busyTime, timeBody);
}

function taskBody(w: Writer, t: Task): void {
  messageField(w, 1, t.id, idBody);
  messageField(w, 2, t.metadata, idBody);
  if (t.kind !== 0) w.tag(3, VARINT), w.int32(t.kind);
  repeatedField(w, 4, t.fields, fieldBody);
  repeatedField(w, 5, t.parents, idBody);
  messageField(w, 6, t.location, locationBody);
}

function taskStatsBody(w: Writer, s: TaskStats): void {
  messageField(w, 1, s.createdAt, timeBody);
  messageField(w, 2, s.droppedAt, timeBody);
  u64Field(w, 3, s.wakes);
  u64Field(w, 4, s.wakerClones);
  u64Field(w, 5, s.wakerDrops);
  messageField(w, 6, s.lastWake, timeBody);
  messageField(w, 7, s.pollStats, pollStatsBody);
  u64Field(w, 8, s.selfWakes);
  messageField(w, 9, s.scheduledTime, timeBody);
}

function taskUpdateBody(w: Writer, u: TaskUpdate): void {
  repeatedField(w, 1, u.newTasks, taskBody);
  mapField(w, 3, u.statsUpdate, taskStatsBody);
  u64Field(w, 4, u.droppedEvents);
}

function resourceBody(w: Writer, r: Resource): void {
  messageField(w, 1, r.id, idBody);
  messageField(w, 2, r.metadata, idBody);
  stringField(w, 3, r.concreteType);
  messageField(w, 4, r.kind, (w, kind) => {
    if (kind.kind.case === "known") w.tag(1, VARINT), w.int32(kind.kind.value);
    else if (kind.kind.case === "other") w.tag(2, LEN), w.string(kind.kind.value);
  });
  messageField(w, 5, r.location, locationBody);
  messageField(w, 6, r.parentResourceId, idBody);
  boolField(w, 7, r.isInternal);
}

function resourceStatsBody(w: Writer, s: ResourceStats): void {
  messageField(w, 1, s.createdAt, timeBody);
  messageField(w, 2, s.droppedAt, timeBody);
  repeatedField(w, 3, s.attributes, attributeBody);
}

function pollOpBody(w: Writer, p: PollOp): void {
  messageField(w, 2, p.metadata, idBody);
  messageField(w, 3, p.resourceId, idBody);
  stringField(w, 4, p.name);
  messageField(w, 5, p.taskId, idBody);
  messageField(w, 6, p.asyncOpId, idBody);
  boolField(w, 7, p.isReady);
}

function resourceUpdateBody(w: Writer, u: ResourceUpdate): void {
  repeatedField(w, 1, u.newResources, resourceBody);
  mapField(w, 2, u.statsUpdate, resourceStatsBody);
  repeatedField(w, 3, u.newPollOps, pollOpBody);
  u64Field(w, 4, u.droppedEvents);
}

function asyncOpBody(w: Writer, o: AsyncOp): void {
  messageField(w, 1, o.id, idBody);
  messageField(w, 2, o.metadata, idBody);
  stringField(w, 3, o.source);
  messageField(w, 4, o.parentAsyncOpId, idBody);
  messageField(w, 5, o.resourceId, idBody);
}

function asyncOpStatsBody(w: Writer, s: AsyncOpStats): void {
  messageField(w, 1, s.createdAt, timeBody);
  messageField(w, 2, s.droppedAt, timeBody);
  messageField(w, 4, s.taskId, idBody);
  messageField(w, 5, s.pollStats, pollStatsBody);
  repeatedField(w, 6, s.attributes, attributeBody);
}

function asyncOpUpdateBody(w: Writer, u: AsyncOpUpdate): void {
  repeatedField(w, 1, u.newAsyncOps, asyncOpBody);
  mapField(w, 2, u.statsUpdate, asyncOpStatsBody);
  u64Field(w, 3, u.droppedEvents);
}

function metadataBody(w: Writer, m: RegisterMetadata): void {
  repeatedField(w, 1, m.metadata, (w, entry) => {
    messageField(w, 1, entry.id, idBody);
    messageField(w, 2, entry.metadata, (w, meta) => {
      stringField(w, 1, meta.name);
      stringField(w, 2, meta.target);
      stringField(w, 3, meta.modulePath);
      messageField(w, 4, meta.location, locationBody);
      if (meta.kind !== 0) w.tag(5, VARINT), w.int32(meta.kind);
      if (meta.level !== 0) w.tag(6, VARINT), w.int32(meta.level);
      for (const name of meta.fieldNames) w.tag(7, LEN), w.string(name);
    });
  });
}

export function encodeUpdate(update: Update): Uint8Array {
  const w = new Writer();
  messageField(w, 1, update.now, timeBody);
  messageField(w, 2, update.taskUpdate, taskUpdateBody);
  messageField(w, 3, update.resourceUpdate, resourceUpdateBody);
  messageField(w, 4, update.asyncOpUpdate, asyncOpUpdateBody);
  messageField(w, 5, update.newMetadata, metadataBody);
  return w.finish();
}
