/** Decoding `Field`s and `Location`s into the engine's model. */
import { fieldName, fieldValue, type Field, type FieldValue, type Location, type Metadata } from "@async-insight/protocol";
import type { FieldEntry } from "../model.js";
import { intern } from "../private/intern.js";

export function decodeField(field: Field | undefined, metadata: Metadata | undefined): FieldEntry | undefined {
  if (!field) return undefined;
  const name = fieldName(field, metadata);
  const value = fieldValue(field);
  if (name === undefined || value === undefined) return undefined;
  return { name: intern(name), value: typeof value === "string" ? internValue(value) : value };
}

/** Short values (kinds, file paths) repeat a lot; long ones are left alone. */
function internValue(value: string): string {
  return value.length <= 128 ? intern(value) : value;
}

/** `file:line:col`, leaving out what is absent; undefined without a file. */
export function formatLocation(location: Location | undefined): string | undefined {
  if (!location?.file) return undefined;
  return joinLocation(location.file, location.line, location.column);
}

export function joinLocation(file: string, line: number | bigint | undefined, column: number | bigint | undefined): string {
  let text = file;
  if (line !== undefined) {
    text += `:${line}`;
    if (column !== undefined) text += `:${column}`;
  }
  return intern(text);
}

/** Text form of a field value, as a UI would print it. */
export function formatFieldValue(value: FieldValue): string {
  return typeof value === "string" ? value : String(value);
}

export function asBigint(value: FieldValue | undefined): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  return undefined;
}
