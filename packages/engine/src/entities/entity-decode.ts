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

/**
 * Field entries are immutable and, but for the task's own id and name, mostly
 * repeat: ten thousand tasks share a handful of `kind`s and `size.bytes`.
 * Equal entries share one object (and its bigint), as attribute entries do;
 * bounded, so past the cap new values get their own.
 */
const sharedFields = new Map<string, FieldEntry>();
const MAX_SHARED_FIELDS = 4096;
/** Fields that name one task: sharing them would only fill the table. */
const OWN_FIELDS = new Set(["task.id", "task.name"]);

function sharedField(field: FieldEntry): FieldEntry {
  const { name, value } = field;
  if (OWN_FIELDS.has(name) || (typeof value === "string" && value.length > 64)) return field;
  const key = `${typeof value}\u0000${name}\u0000${String(value)}`;
  const found = sharedFields.get(key);
  if (found !== undefined) return found;
  if (sharedFields.size < MAX_SHARED_FIELDS) sharedFields.set(key, field);
  return field;
}

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
    const decoded = decodeField(raw, metadata);
    if (!decoded) continue;
    const field = sharedField(decoded);
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
  // A copy of the exact length: the pushes above left room for a dozen more entries, kept for the task's life.
  return { stableId, name, kind, fields: fields.slice(), location, sizeBytes, originalSizeBytes };
}

/** tokio's `Kind`: the known TIMER, or a free string such as "Sync". */
export function resourceKind(resource: resources.Resource): string {
  const kind = resource.kind?.kind;
  // TIMER is the only known kind in console-api 0.9.
  if (kind?.case === "known") return kind.value === resources.Resource_Kind_Known.TIMER ? "Timer" : "Known";
  if (kind?.case === "other") return intern(kind.value);
  return "";
}
