/** A trace's span fields and state attributes as protocol values: metadata locations, task fields, resource and op attributes. */
import { create } from "@bufbuild/protobuf";
import { AttributeSchema, FieldSchema, LocationSchema, type Field, type Location } from "@async-insight/protocol";
import type { FieldMap } from "../trace-formats/runtime-event.js";
import type { AttributeValue } from "./attribute-ops.js";

export function location(fields: FieldMap): Location | undefined {
  const file = fields["loc.file"];
  if (file === undefined) return undefined;
  const line = Number(fields["loc.line"]);
  const column = Number(fields["loc.col"]);
  return create(LocationSchema, {
    file: String(file),
    ...(Number.isFinite(line) ? { line } : {}),
    ...(Number.isFinite(column) ? { column } : {}),
  });
}

const SKIPPED_FIELDS = new Set(["loc.file", "loc.line", "loc.col"]);

export function protocolFields(fields: FieldMap): Field[] {
  const out: Field[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (SKIPPED_FIELDS.has(name)) continue;
    out.push(create(FieldSchema, { name: { case: "strName", value: name }, value: encodeFieldValue(name, value) }));
  }
  return out;
}

/** Builds the protocol value of a trace field (the protocol's `fieldValue` reads one). */
function encodeFieldValue(name: string, value: string | number | boolean): Field["value"] {
  if (typeof value === "boolean") return { case: "boolVal", value };
  if (typeof value === "number" && Number.isInteger(value))
    return value >= 0 ? { case: "u64Val", value: BigInt(value) } : { case: "i64Val", value: BigInt(value) };
  if (typeof value === "string" && /^\d+$/.test(value) && (name.endsWith(".id") || name.endsWith("bytes"))) return { case: "u64Val", value: BigInt(value) };
  return { case: "strVal", value: String(value) };
}

export function attributesOf(map: Map<string, AttributeValue>) {
  return [...map.entries()].map(([name, a]) =>
    create(AttributeSchema, {
      field: create(FieldSchema, { name: { case: "strName", value: name }, value: encodeFieldValue(name, a.value) }),
      ...(a.unit !== undefined ? { unit: a.unit } : {}),
    }),
  );
}
