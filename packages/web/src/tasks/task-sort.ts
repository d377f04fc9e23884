/** Sorting and filtering of task rows, kept apart from the table so it can be tested without a DOM. */
import type { WebTaskRow } from "../api/types.ts";

export type SortKey = "id" | "state" | "name" | "kind" | "totalMs" | "busyMs" | "scheduledMs" | "idleMs" | "polls" | "location";

const STATE_ORDER = { running: 0, scheduled: 1, blocked: 2, idle: 3, done: 4 } as const;

function value(row: WebTaskRow, key: SortKey): number | string {
  switch (key) {
    case "id": {
      // Ids are decimal strings that can pass 2^53; compare by length first, then text.
      return row.id.padStart(20, "0");
    }
    case "state":
      return STATE_ORDER[row.state];
    default:
      return row[key];
  }
}

export function compareBy(key: SortKey, descending: boolean): (a: WebTaskRow, b: WebTaskRow) => number {
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const x = value(a, key);
    const y = value(b, key);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return order !== 0 ? sign * order : a.id.padStart(20, "0").localeCompare(b.id.padStart(20, "0"));
  };
}

/** Every word of the filter must appear somewhere in the row (case-insensitive). */
export function matchesFilter(row: WebTaskRow, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = `${row.id} ${row.name} ${row.state} ${row.kind} ${row.location} ${row.fields}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}
