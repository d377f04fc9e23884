/**
 * Resource and async-op attributes with console-subscriber's update rules:
 * a value may come with a companion `<name>.op` of `add`, `sub` or
 * `override` (and a unit). u64 arithmetic saturates; any other type, or a
 * missing op, overwrites. Wire `Stats.attributes` are normally full
 * snapshots (the subscriber folds ops itself), so the fold only matters for
 * readers that replay raw state-update events.
 */
import type { Attribute, FieldValue, Metadata } from "@async-insight/protocol";
import type { AttributeEntry, FieldEntry } from "../model.js";
import { decodeField } from "./fields.js";

export type AttributeOp = "add" | "sub" | "override";

const U64_MAX = (1n << 64n) - 1n;

/** Folds one update into the previous value. */
export function applyAttributeOp(previous: FieldValue | undefined, update: FieldValue, op: AttributeOp | undefined): FieldValue {
  if (op === undefined || op === "override") return update;
  if (typeof previous !== "bigint" || typeof update !== "bigint") return update;
  if (op === "add") {
    const sum = previous + update;
    return sum > U64_MAX ? U64_MAX : sum;
  }
  return previous > update ? previous - update : 0n;
}

function parseOp(value: FieldValue | undefined): AttributeOp | undefined {
  return value === "add" || value === "sub" || value === "override" ? value : undefined;
}

/** Shared by every entity without attributes, and by applies that changed nothing. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * Attribute entries are immutable and mostly repeat: tens of thousands of
 * timers a second with a handful of distinct `duration`s, locks that are
 * `locked` or not. Equal entries share one object (and its bigint), as
 * interned strings do. Bounded: past the cap, new values get their own.
 */
const sharedEntries = new Map<string, AttributeEntry>();
const MAX_SHARED_ENTRIES = 4096;

function attributeEntry(name: string, value: FieldValue, unit: string | undefined): AttributeEntry {
  if (typeof value === "string" && value.length > 64) return { name, value, unit };
  const key = `${typeof value}\u0000${name}\u0000${unit === undefined ? "\u0001" : unit}\u0000${String(value)}`;
  const found = sharedEntries.get(key);
  if (found !== undefined) return found;
  const entry: AttributeEntry = { name, value, unit };
  if (sharedEntries.size < MAX_SHARED_ENTRIES) sharedEntries.set(key, entry);
  return entry;
}

/**
 * A resource's or op's attributes, keyed by name, in first-seen order. A
 * plain array of the exact length, searched linearly: entities carry a
 * handful of attributes, and a Map per entity cost a few hundred bytes for
 * each of the tens of thousands of short-lived timers a busy runtime reports.
 * A lone attribute (a timer's `duration`) is held as the entry itself: the
 * array around it would cost 56 bytes more for each of those timers.
 */
export class AttributeMap {
  #entries: AttributeEntry | AttributeEntry[] | undefined = undefined;

  get(name: string): AttributeEntry | undefined {
    const entries = this.#entries;
    if (entries === undefined) return undefined;
    if (!Array.isArray(entries)) return entries.name === name ? entries : undefined;
    for (let i = 0; i < entries.length; i++) if (entries[i]!.name === name) return entries[i];
    return undefined;
  }

  values(): AttributeEntry[] {
    const entries = this.#entries;
    if (entries === undefined) return [];
    return Array.isArray(entries) ? entries.slice() : [entries];
  }

  get size(): number {
    const entries = this.#entries;
    if (entries === undefined) return 0;
    return Array.isArray(entries) ? entries.length : 1;
  }

  #set(entry: AttributeEntry): void {
    const entries = this.#entries;
    if (entries === undefined) {
      this.#entries = entry;
      return;
    }
    if (!Array.isArray(entries)) {
      this.#entries = entries.name === entry.name ? entry : [entries, entry];
      return;
    }
    for (let i = 0; i < entries.length; i++) {
      if (entries[i]!.name === entry.name) {
        entries[i] = entry;
        return;
      }
    }
    // A copy of the exact size: push would reserve room for 16 more.
    this.#entries = [...entries, entry];
  }

  /**
   * Applies a `Stats.attributes` list. Returns the names whose value changed,
   * so callers can react (an unlocked mutex drops its inferred holder).
   */
  apply(attributes: readonly Attribute[], metadata: Metadata | undefined): readonly string[] {
    if (attributes.length === 0) return NONE;
    // Companion `.op`/`.unit` fields are rare (raw state-update replays); most lists have none.
    let ops: Map<string, AttributeOp> | undefined;
    let units: Map<string, string> | undefined;
    const decoded: { field: FieldEntry; unit: string | undefined }[] = [];
    for (const attribute of attributes) {
      const field = decodeField(attribute.field, metadata);
      if (!field) continue;
      if (field.name.endsWith(".op")) {
        const op = parseOp(field.value);
        if (op) (ops ??= new Map()).set(field.name.slice(0, -3), op);
        continue;
      }
      if (field.name.endsWith(".unit") && typeof field.value === "string") {
        (units ??= new Map()).set(field.name.slice(0, -5), field.value);
        continue;
      }
      decoded.push({ field, unit: attribute.unit });
    }
    let changed: string[] | undefined;
    for (const { field, unit } of decoded) {
      const previous = this.get(field.name);
      const value = applyAttributeOp(previous?.value, field.value, ops?.get(field.name));
      const finalUnit = unit ?? units?.get(field.name) ?? previous?.unit;
      if (previous && previous.value === value && previous.unit === finalUnit) continue;
      this.#set(attributeEntry(field.name, value, finalUnit));
      (changed ??= []).push(field.name);
    }
    return changed ?? NONE;
  }
}
