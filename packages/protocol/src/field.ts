/** Reading `Field`s: their name (inline or by metadata index) and value. */
import type { Field, Metadata } from "./gen/console/common_pb.js";

export type FieldValue = string | bigint | boolean;

/** The field's name; `name_idx` is resolved against its metadata's field names. */
export function fieldName(field: Field, metadata?: Metadata): string | undefined {
  switch (field.name.case) {
    case "strName":
      return field.name.value;
    case "nameIdx":
      return metadata?.fieldNames[Number(field.name.value)];
    default:
      return undefined;
  }
}

export function fieldValue(field: Field): FieldValue | undefined {
  switch (field.value.case) {
    case "debugVal":
    case "strVal":
      return field.value.value;
    case "u64Val":
    case "i64Val":
      return field.value.value;
    case "boolVal":
      return field.value.value;
    default:
      return undefined;
  }
}
