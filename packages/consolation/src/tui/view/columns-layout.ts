/**
 * Fitting a table's columns to the terminal width: columns with width 0 share
 * what is left, and when even the fixed ones do not fit, the least important
 * are dropped so the rest stay readable.
 */
import { fit, padStart } from "../term/ansi.js";

export interface LayoutColumn {
  readonly header: string;
  readonly width: number;
  readonly align: "left" | "right";
}

export interface PlacedColumn {
  /** Index in the full column list. */
  readonly index: number;
  readonly width: number;
  readonly align: "left" | "right";
}

const GAP = 1;
const MIN_FLEX = 12;

/** `dropOrder` lists column indexes to hide first when space runs out. */
export function layoutColumns(columns: readonly LayoutColumn[], width: number, dropOrder: readonly number[]): PlacedColumn[] {
  const hidden = new Set<number>();
  const used = () => columns.reduce((sum, c, i) => (hidden.has(i) ? sum : sum + (c.width || MIN_FLEX) + GAP), -GAP);
  for (const index of dropOrder) {
    if (used() <= width) break;
    hidden.add(index);
  }
  const flex = columns.filter((c, i) => !hidden.has(i) && c.width === 0).length;
  const fixed = columns.reduce((sum, c, i) => (hidden.has(i) || c.width === 0 ? sum : sum + c.width + GAP), 0);
  const share = flex > 0 ? Math.max(MIN_FLEX, Math.floor((width - fixed - GAP * (flex - 1)) / flex)) : 0;
  return columns.flatMap((c, index) => (hidden.has(index) ? [] : [{ index, width: c.width || share, align: c.align }]));
}

/** Joins cells into one line; each cell is clipped or padded to its column. */
export function joinCells(placed: readonly PlacedColumn[], cells: (index: number) => string): string {
  let line = "";
  for (let i = 0; i < placed.length; i++) {
    const column = placed[i]!;
    const cell = cells(column.index);
    if (i > 0) line += " ";
    line += column.align === "right" ? padStart(cell, column.width) : fit(cell, column.width);
  }
  return line;
}
