/** Resources (mutexes, channels, timers…): filterable, busiest first. */
import { useMemo, useState } from "preact/hooks";
import type { WebResourceRow } from "../api/types.ts";

interface Props {
  readonly rows: readonly WebResourceRow[];
  readonly selectedKey: string | undefined;
  onSelect(key: string): void;
}

export function ResourceTable({ rows, selectedKey, onSelect }: Props) {
  const [filter, setFilter] = useState("");
  const [showInternal, setShowInternal] = useState(false);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return rows
      .filter((r) => (showInternal || !r.internal) && !r.dropped)
      .filter((r) => !needle || `${r.id} ${r.name} ${r.type} ${r.kind} ${r.location} ${r.attributes}`.toLowerCase().includes(needle))
      .sort((a, b) => b.waitingCount - a.waitingCount || Number(a.id) - Number(b.id))
      .slice(0, 500);
  }, [rows, filter, showInternal]);
  return (
    <section class="table-pane" aria-label="resources">
      <div class="toolbar">
        <input type="search" placeholder="filter resources" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <label>
          <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal((e.target as HTMLInputElement).checked)} /> internal
        </label>
      </div>
      <div class="table-scroll">
        <table class="resources">
          <thead>
            <tr>
              <th class="num">ID</th>
              <th>Name</th>
              <th>Type</th>
              <th>Kind</th>
              <th class="num">Waiting</th>
              <th>Attributes</th>
              <th>Location</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.key} class={r.key === selectedKey ? "selected" : ""} onClick={() => onSelect(r.key)}>
                <td class="num">{r.id}</td>
                <td class="name">{r.name}</td>
                <td>{r.type}</td>
                <td>{r.kind}</td>
                <td class="num">{r.waitingCount}</td>
                <td class="attrs">{r.attributes}</td>
                <td class="loc">{r.location}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
