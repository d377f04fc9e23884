/**
 * Plain-text tables for non-interactive output (dump, check, reports).
 * Columns are sized to their widest cell; the last column is never padded so
 * lines carry no trailing spaces. Cells are untrusted text: each is made safe
 * and capped (see safeText), and widths are counted in terminal cells so CJK
 * and emoji keep the columns aligned.
 */
import { displayWidth, FIELD_WIDTH, LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string;
  readonly align?: "left" | "right";
  /** Cap in cells (default: FIELD_WIDTH, the last column LONG_FIELD_WIDTH). */
  readonly maxWidth?: number;
}

export function renderTable<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[]): string[] {
  const caps = columns.map((c, i) => c.maxWidth ?? (i === columns.length - 1 ? LONG_FIELD_WIDTH : FIELD_WIDTH));
  const cells = rows.map((row) => columns.map((c, i) => oneLine(c.cell(row), caps[i])));
  const cellWidths = cells.map((r) => r.map(displayWidth));
  const widths = columns.map((c, i) => cellWidths.reduce((max, r) => Math.max(max, r[i]!), c.header.length));
  const line = (values: readonly string[], valueWidths: readonly number[]) =>
    values
      .map((v, i) => {
        const last = i === values.length - 1;
        const pad = " ".repeat(Math.max(0, widths[i]! - valueWidths[i]!));
        if (columns[i]!.align === "right") return pad + v;
        return last ? v : v + pad;
      })
      .join("  ")
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      columns.map((c) => c.header.length),
    ),
    ...cells.map((r, i) => line(r, cellWidths[i]!)),
  ];
}

/** User-supplied text may contain newlines, escapes or bidi controls; never let it break a row or reach the terminal raw. */
export function oneLine(text: string, maxWidth: number = LONG_FIELD_WIDTH): string {
  return safeText(text, maxWidth);
}
