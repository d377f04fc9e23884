/**
 * Plain-text tables for non-interactive output (dump, check, reports).
 * Columns are sized to their widest cell; the last column is never padded so
 * lines carry no trailing spaces.
 */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string;
  readonly align?: "left" | "right";
}

export function renderTable<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[]): string[] {
  const cells = rows.map((row) => columns.map((c) => oneLine(c.cell(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => {
        const last = i === values.length - 1;
        if (columns[i]!.align === "right") return v.padStart(widths[i]!);
        return last ? v : v.padEnd(widths[i]!);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)];
}

/** User-supplied names may contain newlines or control characters; never let them break a row. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ");
}
