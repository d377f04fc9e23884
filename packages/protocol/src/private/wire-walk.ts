/**
 * Walking the fields of an encoded message without decoding it, and without
 * allocating per field: BinaryReader's tag() returns a tuple and its skip()
 * a slice, which over a section of ten thousand elements adds up.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

let tagField = 0;
let tagWireType = 0;

/** Reads a tag into tagField/tagWireType, rejecting what protobuf-es rejects. */
function readTag(reader: BinaryReader): void {
  const tag = reader.uint32();
  tagField = tag >>> 3;
  tagWireType = tag & 7;
  if (tagField <= 0 || tagWireType > 5) throw new Error(`illegal tag: field no ${tagField} wire type ${tagWireType}`);
}

function skipField(reader: BinaryReader, wireType: number, field: number): void {
  switch (wireType) {
    case WireType.Varint:
      reader.uint32();
      break;
    case WireType.Bit64:
      reader.pos += 8;
      break;
    case WireType.LengthDelimited: {
      const length = reader.uint32();
      reader.pos += length;
      break;
    }
    case WireType.Bit32:
      reader.pos += 4;
      break;
    default:
      reader.skip(wireType, field); // groups: never sent by console servers
  }
  if (reader.pos > reader.len) throw new RangeError("premature EOF");
}

/**
 * Calls back with the contents of every length-delimited occurrence of
 * `field` in each part: the reader of part number `part`, positioned at the
 * contents, which end at `end`. The reader is moved past them afterwards.
 */
export function forEachOccurrence(parts: readonly Uint8Array[], field: number, fn: (reader: BinaryReader, end: number, part: number) => void): void {
  for (let part = 0; part < parts.length; part++) {
    const reader = new BinaryReader(parts[part]!);
    while (reader.pos < reader.len) {
      readTag(reader);
      if (tagField !== field || tagWireType !== WireType.LengthDelimited) {
        skipField(reader, tagWireType, tagField);
        continue;
      }
      const end = reader.uint32() + reader.pos;
      if (end > reader.len) throw new RangeError("premature EOF");
      fn(reader, end, part);
      reader.pos = end;
    }
  }
}

/** The last value of a varint field across all parts (protobuf's rule for a repeated scalar), or 0n. */
export function lastVarint(parts: readonly Uint8Array[], field: number): bigint {
  let value = 0n;
  for (const part of parts) {
    const reader = new BinaryReader(part);
    while (reader.pos < reader.len) {
      readTag(reader);
      if (tagField === field && tagWireType === WireType.Varint) value = BigInt(reader.uint64());
      else skipField(reader, tagWireType, tagField);
    }
  }
  return value;
}
