/**
 * The order in which `for...in` visits a decoded uint64-keyed map (the stats
 * maps), worked out from the wire without building the map: keys that are
 * array indices (below 2^32 - 1) first, ascending, then the rest in wire
 * order, a repeated key keeping its first place and its last value.
 *
 * The common case (every entry a plain key and value, no key repeated) is
 * handled here with scratch arrays reused across updates, so a pass allocates
 * only the keys and values it hands out. Anything else returns false and the
 * caller builds the map order the general way.
 */
import { WireType } from "@bufbuild/protobuf/wire";
import { forEachOccurrence } from "./wire-walk.js";

const KEY_TAG = 1 << 3; // field 1, varint
const VALUE_TAG = (2 << 3) | WireType.LengthDelimited;
const TWO_POW_32 = 0x1_0000_0000;
/** Index keys are sorted as key * 2^20 + entry number: exact in a double. */
const ENTRY_BITS = 0x10_0000;
const MAX_INDEX_KEY = 0xffff_fffe;

// Per entry: the key's low and high 32 bits, then the part, start and end of its value (start -1: none).
const ENTRY = 5;
let entries = new Float64Array(ENTRY * 1024);
let indexOrder = new Float64Array(1024);
let bigKeys = new BigUint64Array(1024);
/** Set while a pass reads the scratch, so a callback that starts another pass cannot overwrite it. */
let inUse = false;

let lo = 0;
let hi = 0;
/** Reads a varint at `pos` into lo/hi (unsigned); returns the position after it, or -1 if malformed. */
function varintAt(bytes: Uint8Array, pos: number, end: number): number {
  lo = 0;
  hi = 0;
  for (let shift = 0; shift < 64; shift += 7) {
    if (pos >= end) return -1;
    const b = bytes[pos++]!;
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x70) >> 4;
    } else hi |= (b & 0x7f) << (shift - 32);
    if ((b & 0x80) === 0) {
      lo >>>= 0;
      hi >>>= 0;
      return pos;
    }
  }
  return -1;
}

/** Fills `entries`; returns the entry count, or -1 for an unusual entry. */
function scan(parts: readonly Uint8Array[], field: number): number {
  let count = 0;
  let plain = true;
  forEachOccurrence(parts, field, (reader, end, part) => {
    if (!plain) return;
    const bytes = parts[part]!;
    let pos = reader.pos;
    let keyLo = 0;
    let keyHi = 0;
    let start = -1;
    let stop = -1;
    while (pos < end) {
      pos = varintAt(bytes, pos, end);
      if (pos < 0 || hi !== 0 || (lo !== KEY_TAG && lo !== VALUE_TAG)) return void (plain = false);
      const tag = lo;
      pos = varintAt(bytes, pos, end);
      if (pos < 0) return void (plain = false);
      if (tag === KEY_TAG) {
        keyLo = lo;
        keyHi = hi;
      } else {
        if (hi !== 0 || pos + lo > end) return void (plain = false);
        start = pos;
        stop = pos = pos + lo;
      }
    }
    if ((count + 1) * ENTRY > entries.length) {
      const grown = new Float64Array(entries.length * 2);
      grown.set(entries);
      entries = grown;
    }
    const at = count++ * ENTRY;
    entries[at] = keyLo;
    entries[at + 1] = keyHi;
    entries[at + 2] = part;
    entries[at + 3] = start;
    entries[at + 4] = stop;
  });
  return plain && count < ENTRY_BITS ? count : -1;
}

function isIndexKey(at: number): boolean {
  return entries[at + 1] === 0 && entries[at]! <= MAX_INDEX_KEY;
}

/** Sorts the index keys into `indexOrder` and checks that no key repeats; returns the index key count or -1. */
function order(count: number): number {
  if (indexOrder.length < count) indexOrder = new Float64Array(Math.max(count, indexOrder.length * 2));
  if (bigKeys.length < count) bigKeys = new BigUint64Array(Math.max(count, bigKeys.length * 2));
  const halves = new Uint32Array(bigKeys.buffer, 0, 2 * count);
  let small = 0;
  let big = 0;
  for (let i = 0; i < count; i++) {
    const at = i * ENTRY;
    if (isIndexKey(at)) indexOrder[small++] = entries[at]! * ENTRY_BITS + i;
    else {
      // Any fixed pairing of the halves maps equal keys to equal values, whatever the byte order.
      halves[2 * big] = entries[at]!;
      halves[2 * big++ + 1] = entries[at + 1]!;
    }
  }
  const sorted = indexOrder.subarray(0, small).sort();
  for (let i = 1; i < small; i++) if (Math.floor(sorted[i]! / ENTRY_BITS) === Math.floor(sorted[i - 1]! / ENTRY_BITS)) return -1;
  bigKeys.subarray(0, big).sort();
  for (let i = 2; i < 2 * big; i += 2) if (halves[i] === halves[i - 2] && halves[i + 1] === halves[i - 1]) return -1;
  return small;
}

function keyText(at: number): string {
  const keyLo = entries[at]!;
  const keyHi = entries[at + 1]!;
  return keyHi < 0x20_0000 ? String(keyHi * TWO_POW_32 + keyLo) : String((BigInt(keyHi) << 32n) | BigInt(keyLo));
}

/**
 * Visits the entries of map field `field` in the decoded map's order, with
 * the key as the map would have it and the value's bytes (start -1: none).
 * Returns false, having visited nothing, when the general way is needed.
 */
export function forEachMapEntry(parts: readonly Uint8Array[], field: number, visit: (key: string, part: number, start: number, end: number) => void): boolean {
  if (inUse) return false;
  const count = scan(parts, field);
  const small = count < 0 ? -1 : order(count);
  if (small < 0) return false;
  inUse = true;
  try {
    for (let j = 0; j < small; j++) {
      const at = (indexOrder[j]! % ENTRY_BITS) * ENTRY;
      visit(keyText(at), entries[at + 2]!, entries[at + 3]!, entries[at + 4]!);
    }
    for (let at = 0; at < count * ENTRY; at += ENTRY) {
      if (!isIndexKey(at)) visit(keyText(at), entries[at + 2]!, entries[at + 3]!, entries[at + 4]!);
    }
  } finally {
    inUse = false;
  }
  return true;
}
