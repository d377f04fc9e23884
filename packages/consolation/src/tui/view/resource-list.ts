/** Every resource (mutexes, channels, timers…) with its attributes; same navigation as the task list. */
import { formatDuration } from "../../format/duration.js";
import { fit, paint } from "../term/ansi.js";
import { arrangeResources, RESOURCE_COLUMNS, RESOURCE_DROP_ORDER } from "../state/resource-columns.js";
import { resolveOffset, resolveSelection } from "../state/table-selection.js";
import type { TableState } from "../state/ui-state.js";
import type { ResourceRow } from "../state/view-model.js";
import { joinCells, layoutColumns } from "./columns-layout.js";
import { STYLES } from "./theme.js";

function cell(row: ResourceRow, column: number): string {
  switch (column) {
    case 0:
      return row.id;
    case 1:
      return row.parentId;
    case 2:
      return row.name || "-";
    case 3:
      return row.kind;
    case 4:
      return row.type;
    case 5:
      return row.internal ? "INT" : "PUB";
    case 6:
      return formatDuration(row.totalNs);
    case 7:
      return row.waiting > 0 ? String(row.waiting) : "";
    case 8:
      return row.location;
    default:
      return row.attributes;
  }
}

export function renderResourceList(all: readonly ResourceRow[], table: TableState, width: number, height: number, filterInput: string | null): string[] {
  const rows = arrangeResources(all, table.sortColumn, table.descending, table.filter);
  const sortColumn = RESOURCE_COLUMNS[table.sortColumn] ?? RESOURCE_COLUMNS[0]!;
  const filter = filterInput !== null ? filterInput : table.filter;
  const title =
    `${paint(`Resources (${all.length})`, STYLES.title)}   sort: ${sortColumn.header} ${table.descending ? "▼" : "▲"}` +
    (filter ? `   filter: "${filter}" (${rows.length} shown)` : "");
  const placed = layoutColumns(RESOURCE_COLUMNS, width, RESOURCE_DROP_ORDER);
  const header = joinCells(placed, (i) => paint(RESOURCE_COLUMNS[i]!.header, i === table.sortColumn ? STYLES.sorted : STYLES.header));
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
    lines.push(i === selected ? paint(line, STYLES.selected) : row.dropped ? paint(line, STYLES.dim) : line);
  }
  if (rows.length === 0) lines.push(fit(paint(filter ? "  no resource matches the filter" : "  no resources yet", STYLES.dim), width));
  while (lines.length < height) lines.push(" ".repeat(width));
  return lines.slice(0, height);
}
