/**
 * Reading protocol entities (`Task`, `Resource`, `AsyncOp`) into the
 * engine's records: fields, well-known field names, locations.
 */
import { resources, type Metadata, type tasks } from "@async-insight/protocol";
import type { FieldEntry } from "../model.js";
import { intern } from "../private/intern.js";
import { asBigint, decodeField, formatLocation, joinLocation } from "./fields.js";

export interface DecodedTask {
  readonly stableId: bigint | undefined;
  readonly name: string | undefined;
  readonly kind: string;
  readonly fields: FieldEntry[];
  readonly location: string | undefined;
  readonly sizeBytes: bigint | undefined;
  readonly originalSizeBytes: bigint | undefined;
}

/** Fields folded into the location rather than listed. */
const LOCATION_FIELDS = new Set(["loc.file", "loc.line", "loc.col"]);

export function decodeTask(task: tasks.Task, metadata: Metadata | undefined): DecodedTask {
  const fields: FieldEntry[] = [];
  let stableId: bigint | undefined;
  let name: string | undefined;
  let kind = "task";
  let sizeBytes: bigint | undefined;
  let originalSizeBytes: bigint | undefined;
  let file: string | undefined;
  let line: bigint | undefined;
  let col: bigint | undefined;
  for (const raw of task.fields) {
    const field = decodeField(raw, metadata);
    if (!field) continue;
    switch (field.name) {
      case "task.id":
        stableId = asBigint(field.value);
        break;
      case "task.name":
        name = String(field.value);
        break;
      case "kind":
        kind = intern(String(field.value));
        break;
      case "size.bytes":
        sizeBytes = asBigint(field.value);
        break;
      case "original_size.bytes":
        originalSizeBytes = asBigint(field.value);
        break;
      case "loc.file":
        file = String(field.value);
        break;
      case "loc.line":
        line = asBigint(field.value);
        break;
      case "loc.col":
        col = asBigint(field.value);
        break;
    }
    if (!LOCATION_FIELDS.has(field.name)) fields.push(field);
  }
  const location =
    formatLocation(task.location) ??
    (file !== undefined ? joinLocation(file, line, line !== undefined ? col : undefined) : undefined) ??
    formatLocation(metadata?.location);
  return { stableId, name, kind, fields, location, sizeBytes, originalSizeBytes };
}

/** tokio's `Kind`: the known TIMER, or a free string such as "Sync". */
export function resourceKind(resource: resources.Resource): string {
  const kind = resource.kind?.kind;
  // TIMER is the only known kind in console-api 0.9.
  if (kind?.case === "known") return kind.value === resources.Resource_Kind_Known.TIMER ? "Timer" : "Known";
  if (kind?.case === "other") return intern(kind.value);
  return "";
}
