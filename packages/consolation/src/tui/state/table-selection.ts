/** Keeping a table's highlight on the same row, and that row in view, as data changes. */
import type { TableState } from "./ui-state.js";

/** The index of the selected row in `keys`: follows the row's key, else stays at the same position. */
export function resolveSelection(table: TableState, keys: (index: number) => string | undefined, count: number): number {
  if (count === 0) return 0;
  if (table.selectedKey !== undefined && keys(table.selected) === table.selectedKey) return table.selected;
  if (table.selectedKey !== undefined) {
    for (let i = 0; i < count; i++) if (keys(i) === table.selectedKey) return i;
  }
  return Math.min(Math.max(0, table.selected), count - 1);
}

/** First visible row such that `selected` is inside a window of `visible` rows. */
export function resolveOffset(offset: number, selected: number, visible: number, count: number): number {
  if (visible <= 0) return 0;
  let first = Math.min(offset, Math.max(0, count - visible));
  if (selected < first) first = selected;
  if (selected >= first + visible) first = selected - visible + 1;
  return Math.max(0, first);
}
