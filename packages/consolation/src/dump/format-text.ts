/** The human-readable `consolation dump`: three tables and a header line. */
import { formatDuration } from "../format/duration.js";
import { renderTable, type Column } from "../format/table.js";
import type { DumpAsyncOp, DumpResource, DumpSnapshot, DumpTask, DumpValues, HiddenCounts } from "./snapshot.js";

/**
 * A name or value that could be misread inside `k=v k=v` (a space, `=`, a
 * quote, nothing at all) is printed as a JSON string, so no value can pose
 * as a second pair.
 */
function token(text: string): string {
  return /^[^\s="\\]+$/u.test(text) ? text : JSON.stringify(text);
}

export function valuesText(values: DumpValues): string {
  return Object.entries(values)
    .map(([name, v]) => `${token(name)}=${typeof v.value === "string" ? token(v.value) : String(v.value)}${v.unit ?? ""}`)
    .join(" ");
}

function taskText(id: bigint | undefined, name: string | undefined): string {
  if (id === undefined) return "-";
  return name ? `${id} (${name})` : String(id);
}

const TASK_COLUMNS: ReadonlyArray<Column<DumpTask>> = [
  { header: "ID", cell: (t) => String(t.id), align: "right" },
  { header: "STATE", cell: (t) => t.state },
  { header: "NAME", cell: (t) => t.name || "-" },
  { header: "KIND", cell: (t) => t.kind },
  { header: "TOTAL", cell: (t) => formatDuration(t.totalNanos), align: "right" },
  { header: "BUSY", cell: (t) => formatDuration(t.busyNanos), align: "right" },
  { header: "SCHED", cell: (t) => formatDuration(t.scheduledNanos), align: "right" },
  { header: "POLLS", cell: (t) => String(t.polls), align: "right" },
  { header: "LOCATION", cell: (t) => t.location || "-" },
  { header: "FIELDS", cell: (t) => valuesText(t.fields) },
];

function resourceColumns(withParent: boolean): ReadonlyArray<Column<DumpResource>> {
  return [
    { header: "ID", cell: (r) => String(r.id), align: "right" },
    ...(withParent ? [{ header: "PARENT", cell: (r: DumpResource) => (r.parentId === undefined ? "-" : String(r.parentId)), align: "right" as const }] : []),
    { header: "TYPE", cell: (r) => r.concreteType },
    { header: "KIND", cell: (r) => r.kind },
    { header: "LOCATION", cell: (r) => r.location || "-" },
    { header: "ATTRIBUTES", cell: (r) => (r.dropped ? `(dropped) ${valuesText(r.attributes)}` : valuesText(r.attributes)) },
  ];
}

function asyncOpColumns(withState: boolean): ReadonlyArray<Column<DumpAsyncOp>> {
  return [
    { header: "ID", cell: (o) => String(o.id), align: "right" },
    { header: "SOURCE", cell: (o) => o.source },
    { header: "RESOURCE", cell: (o) => (o.resourceId === undefined ? "-" : String(o.resourceId)), align: "right" },
    { header: "TASK", cell: (o) => taskText(o.taskId, o.taskName) },
    ...(withState ? [{ header: "STATE", cell: (o: DumpAsyncOp) => (o.pending ? "pending" : "finished") }] : []),
    { header: "LOCATION", cell: (o) => o.location || "-" },
    { header: "ATTRIBUTES", cell: (o) => valuesText(o.attributes) },
  ];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function hiddenLine(hidden: HiddenCounts): string | undefined {
  const parts: string[] = [];
  const finished = [
    hidden.tasks ? plural(hidden.tasks, "completed task", "completed tasks") : "",
    hidden.resources ? plural(hidden.resources, "dropped resource", "dropped resources") : "",
  ].filter(Boolean);
  if (finished.length > 0) parts.push(`${finished.join(", ")} (show them with --all)`);
  if (hidden.asyncOps) parts.push(`${plural(hidden.asyncOps, "finished async op", "finished async ops")} (--all-ops)`);
  return parts.length > 0 ? `hidden: ${parts.join("; ")}` : undefined;
}

/** A row of a multi-target dump names its process (docs/processes.md). */
type MaybeProcess = { readonly process?: string };

/** Puts a PROC column first when the rows come from several processes. */
function withProcess<T>(columns: ReadonlyArray<Column<T>>, on: boolean): ReadonlyArray<Column<T>> {
  return on ? [{ header: "PROC", cell: (row: T) => (row as MaybeProcess).process ?? "-" }, ...columns] : columns;
}

export interface DumpTextOptions {
  readonly showOpState?: boolean;
  /** Several targets: one line per process under the header, and a PROC column in every table. */
  readonly processes?: readonly string[];
}

export function formatDumpText(target: string, snapshot: DumpSnapshot & { hidden?: HiddenCounts }, options: DumpTextOptions = {}): string {
  const { tasks, resources, asyncOps, droppedEvents } = snapshot;
  const several = options.processes !== undefined;
  const lines = several ? [`targets: ${target}`, ...options.processes!.map((p) => `  ${p}`)] : [`target: ${target}`];
  const hidden = snapshot.hidden ? hiddenLine(snapshot.hidden) : undefined;
  if (hidden) lines.push(hidden);
  const dropped = droppedEvents.tasks + droppedEvents.resources + droppedEvents.asyncOps;
  if (dropped > 0n) {
    lines.push(`dropped events: ${droppedEvents.tasks} tasks, ${droppedEvents.resources} resources, ${droppedEvents.asyncOps} async ops`);
  }
  const withParent = resources.some((r) => r.parentId !== undefined);
  lines.push("", `Tasks (${tasks.length})`, ...renderTable(withProcess(TASK_COLUMNS, several), tasks));
  lines.push("", `Resources (${resources.length})`, ...renderTable(withProcess(resourceColumns(withParent), several), resources));
  lines.push("", `Async ops (${asyncOps.length})`, ...renderTable(withProcess(asyncOpColumns(options.showOpState ?? false), several), asyncOps));
  return `${lines.join("\n")}\n`;
}
