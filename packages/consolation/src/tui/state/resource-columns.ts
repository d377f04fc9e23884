/** The resource list's columns, shared by the view and the keymap. */
import type { ResourceRow } from "./view-model.js";

export interface ResourceColumn {
  readonly header: string;
  readonly width: number;
  readonly align: "left" | "right";
  readonly compare: (a: ResourceRow, b: ResourceRow) => number;
}

const big = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const numericId = (a: string, b: string) => {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : text(a, b);
};

/** Hidden first, in this order, when the terminal is narrow. */
export const RESOURCE_DROP_ORDER: readonly number[] = [1, 5, 3, 6, 8];

export const RESOURCE_COLUMNS: readonly ResourceColumn[] = [
  { header: "ID", width: 6, align: "right", compare: (a, b) => numericId(a.id, b.id) },
  { header: "Parent", width: 6, align: "right", compare: (a, b) => numericId(a.parentId, b.parentId) },
  { header: "Name", width: 20, align: "left", compare: (a, b) => text(a.name, b.name) },
  { header: "Kind", width: 6, align: "left", compare: (a, b) => text(a.kind, b.kind) },
  { header: "Type", width: 16, align: "left", compare: (a, b) => text(a.type, b.type) },
  { header: "Vis", width: 3, align: "left", compare: (a, b) => Number(a.internal) - Number(b.internal) },
  { header: "Total", width: 8, align: "right", compare: (a, b) => big(a.totalNs, b.totalNs) },
  { header: "Wait", width: 4, align: "right", compare: (a, b) => a.waiting - b.waiting },
  { header: "Location", width: 28, align: "left", compare: (a, b) => text(a.location, b.location) },
  { header: "Attributes", width: 0, align: "left", compare: (a, b) => text(a.attributes, b.attributes) },
];

export function arrangeResources(rows: readonly ResourceRow[], sortColumn: number, descending: boolean, filter: string): ResourceRow[] {
  const needle = filter.trim().toLowerCase();
  const kept = needle
    ? rows.filter((r) => [r.name, r.type, r.kind, r.location, r.attributes].some((v) => v.toLowerCase().includes(needle)) || r.id === needle)
    : rows.slice();
  const column = RESOURCE_COLUMNS[sortColumn] ?? RESOURCE_COLUMNS[0]!;
  const sign = descending ? -1 : 1;
  const byId = RESOURCE_COLUMNS[0]!.compare;
  kept.sort((a, b) => column.compare(a, b) * sign || byId(a, b));
  return kept;
}
