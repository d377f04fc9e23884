/** The human-readable `consolation dump`: three tables and a header line. */
import { formatDuration } from "../format/duration.js";
import { renderTable, type Column } from "../format/table.js";
import type { DumpAsyncOp, DumpResource, DumpSnapshot, DumpTask } from "./snapshot.js";

const TASK_COLUMNS: ReadonlyArray<Column<DumpTask>> = [
  { header: "ID", cell: (t) => t.id, align: "right" },
  { header: "STATE", cell: (t) => t.state },
  { header: "NAME", cell: (t) => t.name || "-" },
  { header: "KIND", cell: (t) => t.kind },
  { header: "TOTAL", cell: (t) => formatDuration(t.totalNanos), align: "right" },
  { header: "BUSY", cell: (t) => formatDuration(t.busyNanos), align: "right" },
  { header: "SCHED", cell: (t) => formatDuration(t.scheduledNanos), align: "right" },
  { header: "POLLS", cell: (t) => String(t.polls), align: "right" },
  { header: "LOCATION", cell: (t) => t.location || "-" },
  { header: "FIELDS", cell: (t) => t.fields },
];

const RESOURCE_COLUMNS: ReadonlyArray<Column<DumpResource>> = [
  { header: "ID", cell: (r) => String(r.id), align: "right" },
  { header: "TYPE", cell: (r) => r.concreteType },
  { header: "KIND", cell: (r) => r.kind },
  { header: "LOCATION", cell: (r) => r.location || "-" },
  { header: "ATTRIBUTES", cell: (r) => (r.dropped ? `(dropped) ${r.attributes}` : r.attributes) },
];

const ASYNC_OP_COLUMNS: ReadonlyArray<Column<DumpAsyncOp>> = [
  { header: "ID", cell: (o) => String(o.id), align: "right" },
  { header: "SOURCE", cell: (o) => o.source },
  { header: "RESOURCE", cell: (o) => String(o.resourceId), align: "right" },
  { header: "TASK", cell: (o) => (o.taskSpanId === undefined ? "-" : `${o.taskSpanId}${o.taskName ? ` (${o.taskName})` : ""}`) },
  { header: "LOCATION", cell: (o) => o.location || "-" },
  { header: "ATTRIBUTES", cell: (o) => o.attributes },
];

export function formatDumpText(target: string, snapshot: DumpSnapshot & { hidden?: number }): string {
  const { tasks, resources, asyncOps, droppedEvents } = snapshot;
  const lines = [`target: ${target}`];
  if (snapshot.hidden) lines.push(`${snapshot.hidden} completed tasks, dropped resources and async ops hidden (show them with --all)`);
  const dropped = droppedEvents.tasks + droppedEvents.resources + droppedEvents.asyncOps;
  if (dropped > 0n) {
    lines.push(`dropped events: ${droppedEvents.tasks} tasks, ${droppedEvents.resources} resources, ${droppedEvents.asyncOps} async ops`);
  }
  lines.push("", `Tasks (${tasks.length})`, ...renderTable(TASK_COLUMNS, tasks));
  lines.push("", `Resources (${resources.length})`, ...renderTable(RESOURCE_COLUMNS, resources));
  lines.push("", `Async ops (${asyncOps.length})`, ...renderTable(ASYNC_OP_COLUMNS, asyncOps));
  return lines.join("\n") + "\n";
}
