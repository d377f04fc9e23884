/** The live task table: click a heading to sort, type to filter, click a row for details. */
import { useMemo, useState } from "preact/hooks";
import type { WebTaskRow } from "../api/types.ts";
import { formatMs } from "../format.ts";
import { compareBy, matchesFilter, type SortKey } from "./task-sort.ts";

const ROW_LIMIT = 500;

const COLUMNS: ReadonlyArray<{ key: SortKey; title: string; numeric?: boolean }> = [
  { key: "id", title: "ID", numeric: true },
  { key: "state", title: "State" },
  { key: "name", title: "Name" },
  { key: "kind", title: "Kind" },
  { key: "totalMs", title: "Total", numeric: true },
  { key: "busyMs", title: "Busy", numeric: true },
  { key: "scheduledMs", title: "Sched", numeric: true },
  { key: "idleMs", title: "Idle", numeric: true },
  { key: "polls", title: "Polls", numeric: true },
  { key: "location", title: "Location" },
];

interface Props {
  readonly rows: readonly WebTaskRow[];
  readonly selectedKey: string | undefined;
  readonly problemKeys: ReadonlySet<string>;
  onSelect(key: string): void;
}

export function TaskTable({ rows, selectedKey, problemKeys, onSelect }: Props) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "id", descending: false });
  const [filter, setFilter] = useState("");
  const [showCompleted, setShowCompleted] = useState(false);

  const shown = useMemo(() => {
    const list = rows.filter((r) => (showCompleted || r.state !== "done") && matchesFilter(r, filter));
    return list.sort(compareBy(sort.key, sort.descending));
  }, [rows, sort, filter, showCompleted]);

  return (
    <section class="table-pane" aria-label="tasks">
      <div class="toolbar">
        <input
          type="search"
          placeholder="filter: name, state, kind, location, field…"
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
          aria-label="filter tasks"
        />
        <label>
          <input type="checkbox" checked={showCompleted} onChange={(e) => setShowCompleted((e.target as HTMLInputElement).checked)} /> done
        </label>
        <span class="muted">{shown.length > ROW_LIMIT ? `${ROW_LIMIT} of ${shown.length}` : shown.length} tasks</span>
      </div>
      <div class="table-scroll">
        <table class="tasks">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  class={c.numeric ? "num" : ""}
                  aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"}
                  onClick={() => setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : !!c.numeric && c.key !== "id" }))}
                >
                  {c.title}
                  {sort.key === c.key ? (sort.descending ? " ▾" : " ▴") : ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, ROW_LIMIT).map((r) => (
              <tr
                key={r.key}
                data-task-key={r.key}
                class={`${r.key === selectedKey ? "selected " : ""}${problemKeys.has(r.key) ? "problem" : ""}`}
                onClick={() => onSelect(r.key)}
              >
                <td class="num">{r.id}</td>
                <td>
                  <span class={`state state-${r.state}`}>{r.state}</span>
                  {r.warnings > 0 ? (
                    <span class="warn-badge" title="warnings">
                      {" "}
                      ⚠ {r.warnings}
                    </span>
                  ) : null}
                </td>
                <td class="name">{r.name}</td>
                <td>{r.kind}</td>
                <td class="num">{formatMs(r.totalMs)}</td>
                <td class="num">{formatMs(r.busyMs)}</td>
                <td class="num">{formatMs(r.scheduledMs)}</td>
                <td class="num">{formatMs(r.idleMs)}</td>
                <td class="num">{r.polls}</td>
                <td class="loc">{r.location}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
