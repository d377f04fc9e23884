/**
 * A leaner `fromBinary` for the elements a live console decodes by the ten
 * thousand per update: task stats, resources, attributes. protobuf-es decodes
 * by reflection, allocating a wrapper per message, a tuple per tag and per
 * 64-bit varint, a reader and a DataView per call; that garbage is most of
 * what a console allocates, and the more it allocates the more of the store's
 * short-lived entities are still alive at a scavenge and get promoted.
 *
 * This decodes proto3 messages built from the scalar types console-api uses,
 * enums, messages, repeated messages and strings, and oneofs of scalars,
 * straight into the plain objects protobuf-es builds (same keys, same order,
 * same values). Whatever else it meets (an unknown field, a wire type other
 * than the field's, a field repeated where protobuf-es would merge, a
 * malformed varint or string) makes it hand the whole element to
 * `fromBinary`, so the result, or the error, is always fromBinary's.
 * fast-decode.test.ts checks it against protobuf-es on messages with every
 * field set.
 */
import { create, fromBinary, ScalarType, type DescField, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { getTextEncoding } from "@bufbuild/protobuf/wire";
import { Edition } from "@bufbuild/protobuf/wkt";

const VARINT = 0;
const LEN = 2;

const SCALAR = 0;
const ENUM = 1;
const MESSAGE = 2;
const MESSAGE_LIST = 3;
const STRING_LIST = 4;

interface FieldPlan {
  readonly kind: number;
  readonly name: string;
  readonly scalar: ScalarType;
  readonly oneof: string | undefined;
  readonly strict: boolean;
  readonly schema: DescMessage | undefined;
}

/** How to build the zero message: own keys of `create(schema)`, in order. */
const ZERO_COPY = 0;
const ZERO_LIST = 1;
const ZERO_ONEOF = 2;
const ZERO_BYTES = 3;

interface Plan {
  readonly typeName: string;
  readonly zeroKeys: readonly string[];
  readonly zeroKinds: readonly number[];
  readonly zeroValues: readonly unknown[];
  readonly byNumber: readonly (FieldPlan | undefined)[];
}

const SUPPORTED_SCALARS = new Set([
  ScalarType.STRING,
  ScalarType.BOOL,
  ScalarType.INT32,
  ScalarType.UINT32,
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.BYTES,
]);
// Timestamp and Duration are ordinary messages; other well-known types have special local forms.
const PLAIN_WELL_KNOWN = new Set(["google.protobuf.Timestamp", "google.protobuf.Duration"]);

const plans = new Map<DescMessage, Plan | null>();

function fieldPlan(field: DescField): FieldPlan | null {
  const base = { name: field.localName, oneof: field.oneof?.localName, strict: field.utf8Validation };
  switch (field.fieldKind) {
    case "scalar":
      if (!SUPPORTED_SCALARS.has(field.scalar) || field.longAsString) return null;
      return { ...base, kind: SCALAR, scalar: field.scalar, schema: undefined };
    case "enum":
      return { ...base, kind: ENUM, scalar: ScalarType.INT32, schema: undefined };
    case "message":
      if (field.delimitedEncoding || field.oneof) return null;
      return { ...base, kind: MESSAGE, scalar: ScalarType.INT32, schema: field.message };
    case "list":
      if (field.listKind === "message" && !field.delimitedEncoding) return { ...base, kind: MESSAGE_LIST, scalar: ScalarType.INT32, schema: field.message };
      if (field.listKind === "scalar" && field.scalar === ScalarType.STRING)
        return { ...base, kind: STRING_LIST, scalar: ScalarType.STRING, schema: undefined };
      return null;
    default:
      return null;
  }
}

/** The plan for a schema, or null when it uses something this decoder leaves to protobuf-es. */
function planFor(schema: DescMessage): Plan | null {
  const known = plans.get(schema);
  if (known !== undefined) return known;
  plans.set(schema, null); // a recursive type is decided by its other fields
  if (schema.file.edition !== Edition.EDITION_PROTO3 || (schema.typeName.startsWith("google.protobuf.") && !PLAIN_WELL_KNOWN.has(schema.typeName))) return null;
  const byNumber: (FieldPlan | undefined)[] = [];
  for (const field of schema.fields) {
    const plan = fieldPlan(field);
    if (plan === null || field.number > 64) return null;
    byNumber[field.number] = plan;
  }
  const zero = create(schema) as unknown as Record<string, unknown>;
  const zeroKeys = Object.keys(zero).filter((key) => key !== "$typeName");
  const zeroValues = zeroKeys.map((key) => zero[key]);
  const zeroKinds = zeroValues.map((value) =>
    Array.isArray(value) ? ZERO_LIST : value instanceof Uint8Array ? ZERO_BYTES : typeof value === "object" && value !== null ? ZERO_ONEOF : ZERO_COPY,
  );
  const plan: Plan = { typeName: schema.typeName, zeroKeys, zeroKinds, zeroValues, byNumber };
  plans.set(schema, plan);
  for (const field of byNumber) if (field?.schema && planFor(field.schema) === null) return fail(schema);
  return plan;
}

function fail(schema: DescMessage): null {
  plans.set(schema, null);
  return null;
}

// Decoder state: one element is decoded at a time, synchronously.
const EMPTY = new Uint8Array(0);
let buf: Uint8Array = EMPTY;
let pos = 0;
let lo = 0;
let hi = 0;
const BAIL = Symbol("bail");
type Bail = typeof BAIL;

/** Reads a varint into lo/hi; false when malformed or out of bounds. */
function varint(end: number): boolean {
  let b = 0;
  lo = 0;
  hi = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) return false;
    b = buf[pos++]!;
    lo |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return true;
  }
  if (pos >= end) return false;
  b = buf[pos++]!;
  lo |= (b & 0x0f) << 28;
  hi = (b & 0x70) >> 4;
  if ((b & 0x80) === 0) return true;
  for (let shift = 3; shift <= 31; shift += 7) {
    if (pos >= end) return false;
    b = buf[pos++]!;
    hi |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return true;
  }
  return false;
}

const TWO_POW_32 = 0x1_0000_0000;

function unsigned64(): bigint {
  const h = hi >>> 0;
  const l = lo >>> 0;
  return h < 0x20_0000 ? BigInt(h * TWO_POW_32 + l) : (BigInt(h) << 32n) | BigInt(l);
}

function signed64(): bigint {
  return hi < 0 ? BigInt.asIntN(64, unsigned64()) : unsigned64();
}

// Short ASCII strings (type names, file paths, attribute names, units) repeat
// by the thousand; one shared copy each saves an allocation per element.
const shortStrings = new Map<number, string>();
const SHORT = 48;

function readString(start: number, end: number, strict: boolean): string | Bail {
  const length = end - start;
  if (length <= SHORT) {
    let hash = length;
    let ascii = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (ascii) {
      const cached = shortStrings.get(hash);
      if (cached !== undefined && cached.length === length) {
        let same = true;
        for (let i = 0; i < length; i++) {
          if (cached.charCodeAt(i) !== buf[start + i]) {
            same = false;
            break;
          }
        }
        if (same) return cached;
      }
      const text = String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
      if (shortStrings.size >= 8192) shortStrings.clear();
      shortStrings.set(hash, text);
      return text;
    }
  }
  try {
    return getTextEncoding().decodeUtf8(buf.subarray(start, end), strict);
  } catch {
    return BAIL;
  }
}

function readScalar(field: FieldPlan, wireType: number, end: number): unknown {
  if (field.scalar === ScalarType.STRING || field.scalar === ScalarType.BYTES) {
    if (wireType !== LEN || !varint(end)) return BAIL;
    const stop = pos + (lo >>> 0);
    if (hi !== 0 || stop > end) return BAIL;
    const start = pos;
    pos = stop;
    return field.scalar === ScalarType.STRING ? readString(start, stop, field.strict) : buf.subarray(start, stop);
  }
  if (wireType !== VARINT || !varint(end)) return BAIL;
  switch (field.scalar) {
    case ScalarType.BOOL:
      return lo !== 0 || hi !== 0;
    case ScalarType.INT32:
      return lo | 0;
    case ScalarType.UINT32:
      return lo >>> 0;
    case ScalarType.UINT64:
      return unsigned64();
    case ScalarType.INT64:
      return signed64();
    case ScalarType.SINT64: {
      const sign = -(lo & 1);
      lo = ((lo >>> 1) | ((hi & 1) << 31)) ^ sign;
      hi = (hi >>> 1) ^ sign;
      return signed64();
    }
    default:
      return BAIL;
  }
}

function decodeMessage(plan: Plan, end: number): Record<string, unknown> | Bail {
  const message: Record<string, unknown> = { $typeName: plan.typeName };
  const { zeroKeys, zeroKinds, zeroValues } = plan;
  for (let i = 0; i < zeroKeys.length; i++) {
    const kind = zeroKinds[i];
    message[zeroKeys[i]!] = kind === ZERO_COPY ? zeroValues[i] : kind === ZERO_LIST ? [] : kind === ZERO_ONEOF ? { case: undefined } : new Uint8Array(0);
  }
  while (pos < end) {
    const tagStart = pos;
    if (!varint(end) || hi !== 0 || pos - tagStart > 5) return BAIL;
    const fieldNo = lo >>> 3;
    const wireType = lo & 7;
    const field = plan.byNumber[fieldNo];
    if (field === undefined) return BAIL;
    let value: unknown;
    if (field.kind === SCALAR || field.kind === ENUM || field.kind === STRING_LIST) {
      value = readScalar(field, wireType, end);
      if (value === BAIL) return BAIL;
      if (field.kind === STRING_LIST) {
        (message[field.name] as unknown[]).push(value);
        continue;
      }
    } else {
      if (wireType !== LEN || !varint(end)) return BAIL;
      const stop = pos + (lo >>> 0);
      if (hi !== 0 || stop > end) return BAIL;
      value = decodeMessage(planFor(field.schema!)!, stop);
      if (value === BAIL) return BAIL;
      if (field.kind === MESSAGE_LIST) {
        (message[field.name] as unknown[]).push(value);
        continue;
      }
      // A second occurrence would be merged into the first.
      if (message[field.name] !== undefined) return BAIL;
    }
    if (field.oneof !== undefined) message[field.oneof] = { case: field.name, value };
    else message[field.name] = value;
  }
  return message;
}

/** The fast decoding alone: undefined where fastFromBinary falls back to fromBinary. */
export function tryFastFromBinary<D extends DescMessage>(schema: D, bytes: Uint8Array, start = 0, end = bytes.length): MessageShape<D> | undefined {
  const plan = planFor(schema);
  if (plan === null) return undefined;
  buf = bytes;
  pos = start;
  const message = decodeMessage(plan, end);
  buf = EMPTY;
  return message === BAIL ? undefined : (message as MessageShape<D>);
}

/** Same result as `fromBinary(schema, bytes.subarray(start, end))`, without the slice in the common case. */
export function fastFromBinary<D extends DescMessage>(schema: D, bytes: Uint8Array, start = 0, end = bytes.length): MessageShape<D> {
  return tryFastFromBinary(schema, bytes, start, end) ?? fromBinary(schema, bytes.subarray(start, end));
}
