/**
 * Per-task swimlanes: idle, scheduled (woken, waiting for a worker) and busy
 * (being polled) over time, with arrows from waker to wakee. The wheel zooms
 * around the pointer and dragging pans; "follow" keeps the newest time in view.
 * A poll that hogged a worker shows as a long busy bar while other lanes sit
 * scheduled beside it.
 */
import { useMemo, useRef, useState } from "preact/hooks";
import type { SegmentState, WebTaskRow, WebTimeline } from "../api/types.ts";
import { formatMs } from "../format.ts";

const LANE = 22;
const LABEL_W = 220;
const AXIS_H = 24;
const MAX_LANES = 300;

interface Props {
  readonly timeline: WebTimeline;
  readonly rows: readonly WebTaskRow[];
  readonly selectedKey: string | undefined;
  onSelect(key: string): void;
}

const FILL: Record<SegmentState, string> = { idle: "seg-idle", scheduled: "seg-scheduled", busy: "seg-busy" };

function ticks(from: number, to: number, count: number): number[] {
  const span = Math.max(1e-6, to - from);
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

export function TimelineView({ timeline, rows, selectedKey, onSelect }: Props) {
  const [window_, setWindow] = useState<{ from: number; to: number } | null>(null);
  const [filter, setFilter] = useState("");
  const drag = useRef<{ x: number; from: number; to: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const width = 1100;
  const plotW = width - LABEL_W - 12;

  const rowByKey = useMemo(() => new Map(rows.map((r) => [r.key, r])), [rows]);
  const lanes = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const list = timeline.lanes.filter((l) => !needle || l.label.toLowerCase().includes(needle));
    // Blocked and selected tasks first: they are what people open the timeline for.
    const rank = (key: string) => (key === selectedKey ? 0 : rowByKey.get(key)?.state === "blocked" ? 1 : 2);
    return list.sort((a, b) => rank(a.taskKey) - rank(b.taskKey) || Number(a.taskKey) - Number(b.taskKey)).slice(0, MAX_LANES);
  }, [timeline, filter, selectedKey, rowByKey]);

  const full = { from: 0, to: Math.max(1, timeline.endMs) };
  const view = window_ ?? full;
  const x = (ms: number) => LABEL_W + ((ms - view.from) / (view.to - view.from)) * plotW;
  const laneIndex = new Map(lanes.map((l, i) => [l.taskKey, i]));
  const height = AXIS_H + lanes.length * LANE + 8;
  const yMid = (i: number) => AXIS_H + i * LANE + LANE / 2;

  const zoom = (factor: number, atX: number) => {
    const at = view.from + ((atX - LABEL_W) / plotW) * (view.to - view.from);
    const from = at - (at - view.from) * factor;
    const to = at + (view.to - at) * factor;
    if (to - from < 0.05) return;
    setWindow({ from: Math.max(full.from - 1000, from), to: Math.min(full.to + 1000, to) });
  };
  const pointerX = (clientX: number) => {
    const rect = svg.current?.getBoundingClientRect();
    return rect ? ((clientX - rect.left) / rect.width) * width : LABEL_W;
  };

  return (
    <section class="timeline-pane" aria-label="timelines">
      <div class="toolbar">
        <input type="search" placeholder="filter lanes" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <button type="button" onClick={() => zoom(0.5, LABEL_W + plotW / 2)}>
          zoom in
        </button>
        <button type="button" onClick={() => zoom(2, LABEL_W + plotW / 2)}>
          zoom out
        </button>
        <button type="button" onClick={() => setWindow(null)}>
          follow / reset
        </button>
        <span class="legend">
          <i class="seg-busy" /> busy <i class="seg-scheduled" /> scheduled <i class="seg-idle" /> idle <i class="seg-blocked" /> blocked{" "}
          <span class="wake-key">→ wake</span>
        </span>
        <span class="muted">
          {formatMs(view.to - view.from)} shown{timeline.lanes.length > lanes.length ? `, ${lanes.length} of ${timeline.lanes.length} lanes` : ""}
        </span>
      </div>
      <div class="timeline-scroll">
        <svg
          ref={svg}
          class="timeline"
          role="img"
          aria-label="task timeline"
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          onWheel={(e) => {
            e.preventDefault();
            zoom(e.deltaY < 0 ? 0.8 : 1.25, pointerX(e.clientX));
          }}
          onPointerDown={(e) => {
            drag.current = { x: pointerX(e.clientX), ...view };
            (e.currentTarget as Element).setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            const start = drag.current;
            if (!start) return;
            const shift = ((pointerX(e.clientX) - start.x) / plotW) * (start.to - start.from);
            if (Math.abs(shift) > 0) setWindow({ from: start.from - shift, to: start.to - shift });
          }}
          onPointerUp={() => (drag.current = null)}
        >
          <defs>
            <marker id="wake-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L8,4 L0,8 z" class="wake-head" />
            </marker>
            <clipPath id="plot-clip">
              <rect x={LABEL_W} y={0} width={plotW} height={height} />
            </clipPath>
          </defs>
          {ticks(view.from, view.to, 8).map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={AXIS_H - 4} y2={height} class="grid" />
              <text x={x(t)} y={AXIS_H - 8} class="tick">
                {formatMs(t)}
              </text>
            </g>
          ))}
          {lanes.map((lane, i) => {
            const row = rowByKey.get(lane.taskKey);
            return (
              <g
                key={lane.taskKey}
                class={`lane${lane.taskKey === selectedKey ? " selected" : ""}`}
                data-task-key={lane.taskKey}
                data-state={row?.state ?? "done"}
              >
                {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; the task table selects the same task by keyboard */}
                <text x={4} y={yMid(i) + 4} class="lane-label" onClick={() => onSelect(lane.taskKey)}>
                  <title>{lane.label}</title>
                  {lane.label.length > 24 ? `${lane.label.slice(0, 23)}…` : lane.label}
                </text>
                {row ? (
                  <text x={LABEL_W - 6} y={yMid(i) + 4} class={`lane-state lane-state-${row.state}`}>
                    {row.state}
                  </text>
                ) : null}
                <g clip-path="url(#plot-clip)">
                  {lane.segments.map(([from, to, state], s) => {
                    if (to < view.from || from > view.to) return null;
                    // The idle run a blocked task is still in is the wait itself: draw it as blocked.
                    const blocked = row?.state === "blocked" && state === "idle" && s === lane.segments.length - 1;
                    return (
                      <rect
                        key={s}
                        x={x(from)}
                        y={yMid(i) - 7}
                        width={Math.max(1, x(to) - x(from))}
                        height={14}
                        class={blocked ? "seg-blocked" : FILL[state]}
                        data-state={state}
                        data-blocked={blocked ? "true" : undefined}
                        data-ms={Math.round(to - from)}
                      >
                        <title>{`${blocked ? "blocked" : state} ${formatMs(to - from)} from ${formatMs(from)}`}</title>
                      </rect>
                    );
                  })}
                </g>
              </g>
            );
          })}
          <g clip-path="url(#plot-clip)">
            {timeline.wakes.map((w, n) => {
              const to = laneIndex.get(w.toKey);
              if (to === undefined || w.atMs < view.from || w.atMs > view.to) return null;
              const from = w.fromKey === null ? undefined : laneIndex.get(w.fromKey);
              if (from === undefined) return <path key={n} d={`M${x(w.atMs) - 4},${yMid(to) - 12} l4,5 l4,-5 z`} class="wake-tick" />;
              return (
                <line key={n} x1={x(w.atMs)} y1={yMid(from)} x2={x(w.atMs)} y2={yMid(to) + (to > from ? -7 : 7)} class="wake" marker-end="url(#wake-arrow)" />
              );
            })}
          </g>
        </svg>
      </div>
    </section>
  );
}
