/** The home screen: every task, top-like, one row each; only visible rows are drawn. */
import { formatDuration } from "../../format/duration.js";
import { ellipsize, fit, paint } from "../term/ansi.js";
import { arrangeTasks, showsProcess, TASK_COLUMNS, TASK_DROP_ORDER, TASK_PROCESS_COLUMN } from "../state/task-columns.js";
import { resolveOffset, resolveSelection } from "../state/table-selection.js";
import type { TableState } from "../state/ui-state.js";
import type { TaskRow } from "../state/view-model.js";
import { joinCells, layoutColumns } from "./columns-layout.js";
import { sparkline } from "./sparkline.js";
import { stateText, STYLES } from "./theme.js";

const pct = (share: number) => String(Math.round(share * 100)).padStart(3);

function statusCell(row: TaskRow): string {
  const { running, ready, blocked } = row.share;
  return `${pct(running)}/${pct(ready)}/${pct(blocked)} ${sparkline(row.recent, 6)}`;
}

function cell(row: TaskRow, column: number): string {
  switch (column) {
    case 0:
      return row.id;
    case 1:
      return ellipsize(row.name || "-", TASK_COLUMNS[1]!.width);
    case 2:
      return row.kind;
    case 3:
      return stateText(row.state);
    case 4:
      return statusCell(row);
    case 5:
      return formatDuration(row.totalNs);
    case 6:
      return formatDuration(row.busyNs);
    case 7:
      return formatDuration(row.scheduledNs);
    case 8:
      return formatDuration(row.idleNs);
    case 9:
      return String(row.polls);
    case 10:
      return row.warnings > 0 ? paint(`⚠ ${row.warnings}`, STYLES.warnBanner) : "";
    case TASK_PROCESS_COLUMN:
      return ellipsize(row.process ?? "", TASK_COLUMNS[TASK_PROCESS_COLUMN]!.width);
    default:
      return row.location;
  }
}

export function countStates(rows: readonly TaskRow[]): Record<TaskRow["state"], number> {
  const counts = { running: 0, scheduled: 0, blocked: 0, idle: 0, done: 0 };
  for (const row of rows) counts[row.state]++;
  return counts;
}

export function renderTaskList(all: readonly TaskRow[], table: TableState, width: number, height: number, filterInput: string | null): string[] {
  const rows = arrangeTasks(all, table.sortColumn, table.descending, table.filter);
  const counts = countStates(all);
  const sortColumn = TASK_COLUMNS[table.sortColumn] ?? TASK_COLUMNS[0]!;
  const filter = filterInput !== null ? filterInput : table.filter;
  const title =
    `${paint(`Tasks (${all.length})`, STYLES.title)}  ` +
    `${paint(`running ${counts.running}`, { fg: 2 })}  ${paint(`scheduled ${counts.scheduled}`, { fg: 3 })}  ` +
    `${paint(`blocked ${counts.blocked}`, { fg: 1 })}  idle ${counts.idle}  ${paint(`done ${counts.done}`, STYLES.dim)}` +
    `   sort: ${sortColumn.header} ${table.descending ? "▼" : "▲"}` +
    (filter ? `   filter: "${filter}" (${rows.length} shown)` : "");
  const placed = placeColumns(showsProcess(all), width);
  const header = joinCells(placed, (i) => {
    const name = TASK_COLUMNS[i]!.header;
    return i === table.sortColumn ? paint(name, STYLES.sorted) : paint(name, STYLES.header);
  });
  const lines = [fit(title, width), fit(header, width)];
  const visible = Math.max(0, height - lines.length);
  const selected = resolveSelection(table, (i) => rows[i]?.key, rows.length);
  const offset = resolveOffset(table.offset, selected, visible, rows.length);
  for (let i = offset; i < Math.min(rows.length, offset + visible); i++) {
    const row = rows[i]!;
    const line = fit(
      joinCells(placed, (c) => cell(row, c)),
      width,
    );
    lines.push(i === selected ? paint(fit(stripForSelection(row, placed), width), STYLES.selected) : row.state === "done" ? paint(line, STYLES.dim) : line);
  }
  if (rows.length === 0) lines.push(fit(paint(filter ? "  no task matches the filter" : "  no tasks yet", STYLES.dim), width));
  while (lines.length < height) lines.push(" ".repeat(width));
  return lines.slice(0, height);
}

/**
 * One target: the usual columns. Several: the process column first (never
 * dropped), then the usual ones. Placed columns keep their TASK_COLUMNS index.
 */
function placeColumns(withProcess: boolean, width: number): ReturnType<typeof layoutColumns> {
  const order = withProcess
    ? [TASK_PROCESS_COLUMN, ...TASK_COLUMNS.keys()].slice(0, TASK_COLUMNS.length)
    : [...TASK_COLUMNS.keys()].slice(0, TASK_PROCESS_COLUMN);
  const placed = layoutColumns(
    order.map((i) => TASK_COLUMNS[i]!),
    width,
    TASK_DROP_ORDER.map((i) => order.indexOf(i)),
  );
  return placed.map((p) => ({ ...p, index: order[p.index]! }));
}

/** The highlighted row is drawn without inner colours so the inverse bar reads as one block. */
function stripForSelection(row: TaskRow, placed: ReturnType<typeof layoutColumns>): string {
  return joinCells(placed, (c) => (c === 3 ? row.state : c === 10 ? (row.warnings > 0 ? `⚠ ${row.warnings}` : "") : cell(row, c)));
}
