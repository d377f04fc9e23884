/**
 * Resource and async-op attributes with console-subscriber's update rules:
 * a value may come with a companion `<name>.op` of `add`, `sub` or
 * `override` (and a unit). u64 arithmetic saturates; any other type, or a
 * missing op, overwrites. Wire `Stats.attributes` are normally full
 * snapshots (the subscriber folds ops itself), so the fold only matters for
 * readers that replay raw state-update events.
 */
import type { Attribute, FieldValue, Metadata } from "@insight/protocol";
import type { AttributeEntry } from "../model.js";
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

/** A resource's or op's attributes, keyed by name, in first-seen order. */
export class AttributeMap {
  readonly #entries = new Map<string, AttributeEntry>();

  get(name: string): AttributeEntry | undefined {
    return this.#entries.get(name);
  }

  values(): AttributeEntry[] {
    return [...this.#entries.values()];
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Applies a `Stats.attributes` list. Returns the names whose value changed,
   * so callers can react (an unlocked mutex drops its inferred holder).
   */
  apply(attributes: readonly Attribute[], metadata: Metadata | undefined): string[] {
    const decoded = [];
    const ops = new Map<string, AttributeOp>();
    const units = new Map<string, string>();
    for (const attribute of attributes) {
      const field = decodeField(attribute.field, metadata);
      if (!field) continue;
      if (field.name.endsWith(".op")) {
        const op = parseOp(field.value);
        if (op) ops.set(field.name.slice(0, -3), op);
        continue;
      }
      if (field.name.endsWith(".unit") && typeof field.value === "string") {
        units.set(field.name.slice(0, -5), field.value);
        continue;
      }
      decoded.push({ field, unit: attribute.unit });
    }
    const changed: string[] = [];
    for (const { field, unit } of decoded) {
      const previous = this.#entries.get(field.name);
      const value = applyAttributeOp(previous?.value, field.value, ops.get(field.name));
      const finalUnit = unit ?? units.get(field.name) ?? previous?.unit;
      if (previous && previous.value === value && previous.unit === finalUnit) continue;
      this.#entries.set(field.name, { name: field.name, value, unit: finalUnit });
      changed.push(field.name);
    }
    return changed;
  }
}
