/** The task list's columns: header, width and sort order, shared by the view and the keymap. */
import type { TaskRow, TaskActivity } from "./view-model.js";

export interface TaskColumn {
  readonly header: string;
  /** Fixed width in cells; 0 means "takes the remaining space". */
  readonly width: number;
  readonly align: "left" | "right";
  readonly compare: (a: TaskRow, b: TaskRow) => number;
}

const STATE_ORDER: Readonly<Record<TaskActivity, number>> = { running: 0, scheduled: 1, blocked: 2, idle: 3, done: 4 };
const big = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type NanosKey = "total" | "busy" | "scheduled" | "idle" | "polls";
/** By the rows' numbers when both have them, else by the bigints. */
const byNanos = (key: NanosKey, read: (row: TaskRow) => bigint) => (a: TaskRow, b: TaskRow) =>
  a.nanos && b.nanos ? a.nanos[key] - b.nanos[key] : big(read(a), read(b));
const numericId = (a: string, b: string) => {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : text(a, b);
};

/** Hidden first, in this order, when the terminal is narrow. */
export const TASK_DROP_ORDER: readonly number[] = [8, 7, 2, 9, 6, 10];

export const TASK_SORT_ID = 0;

export const TASK_COLUMNS: readonly TaskColumn[] = [
  { header: "ID", width: 5, align: "right", compare: (a, b) => numericId(a.id, b.id) },
  { header: "Name", width: 24, align: "left", compare: (a, b) => text(a.name, b.name) },
  { header: "Kind", width: 6, align: "left", compare: (a, b) => text(a.kind, b.kind) },
  { header: "State", width: 9, align: "left", compare: (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] },
  { header: "Bsy/Sch/Idl Recent", width: 18, align: "left", compare: (a, b) => a.share.blocked - b.share.blocked },
  { header: "Total", width: 6, align: "right", compare: byNanos("total", (r) => r.totalNs) },
  { header: "Busy", width: 6, align: "right", compare: byNanos("busy", (r) => r.busyNs) },
  { header: "Sched", width: 6, align: "right", compare: byNanos("scheduled", (r) => r.scheduledNs) },
  { header: "Idle", width: 6, align: "right", compare: byNanos("idle", (r) => r.idleNs) },
  { header: "Polls", width: 6, align: "right", compare: byNanos("polls", (r) => r.polls) },
  { header: "Warn", width: 4, align: "right", compare: (a, b) => a.warnings - b.warnings },
  { header: "Location", width: 0, align: "left", compare: (a, b) => text(a.location, b.location) },
  // Drawn first, and only while several targets are watched (docs/processes.md).
  { header: "Proc", width: 9, align: "left", compare: (a, b) => text(a.process ?? "", b.process ?? "") },
];

/** The process column's index in TASK_COLUMNS. */
export const TASK_PROCESS_COLUMN = 12;

/** Whether the rows come from several processes: only then is the process column shown and sortable. */
export function showsProcess(rows: readonly TaskRow[]): boolean {
  return rows.some((r) => r.process !== undefined);
}

/** The columns ←/→ cycle through. */
export function taskColumnCount(rows: readonly TaskRow[]): number {
  return showsProcess(rows) ? TASK_COLUMNS.length : TASK_PROCESS_COLUMN;
}

function matches(row: TaskRow, needle: string): boolean {
  return (
    row.name.toLowerCase().includes(needle) ||
    row.location.toLowerCase().includes(needle) ||
    row.fields.toLowerCase().includes(needle) ||
    row.kind.toLowerCase().includes(needle) ||
    row.state.includes(needle) ||
    row.id === needle ||
    row.process === needle
  );
}

/** The rows as the list shows them: filtered, then sorted (ties broken by id so the order is stable). */
export function arrangeTasks(rows: readonly TaskRow[], sortColumn: number, descending: boolean, filter: string): TaskRow[] {
  const needle = filter.trim().toLowerCase();
  const kept = needle ? rows.filter((r) => matches(r, needle)) : rows.slice();
  const column = TASK_COLUMNS[sortColumn] ?? TASK_COLUMNS[0]!;
  const sign = descending ? -1 : 1;
  const byId = TASK_COLUMNS[0]!.compare;
  kept.sort((a, b) => column.compare(a, b) * sign || byId(a, b));
  return kept;
}
