/**
 * The page: a status bar, five views (tasks, graph, timeline, resources,
 * problems) and a detail pane for whatever is selected. The view lives in the
 * URL hash (#graph, #timeline…) so a link or a reload keeps it.
 */
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { subscribeSnapshots, type StreamStatus } from "./api/live-snapshot.ts";
import { sendCommand } from "./api/server-api.ts";
import type { WebSnapshot } from "./api/types.ts";
import { GraphPanel, type Selection } from "./graph/graph-panel.tsx";
import { ProblemsPanel } from "./problems/problems-panel.tsx";
import { ResourceDetailPane } from "./resources/resource-detail.tsx";
import { ReplayControls } from "./replay/replay-controls.tsx";
import { ResourceTable } from "./resources/resource-table.tsx";
import { StatusBar } from "./status-bar.tsx";
import { TaskDetailPane } from "./tasks/task-detail.tsx";
import { TaskTable } from "./tasks/task-table.tsx";
import { TimelineView } from "./timeline/timeline-view.tsx";

const TABS = ["tasks", "graph", "timeline", "resources", "problems"] as const;
type Tab = (typeof TABS)[number];

function tabFromHash(): Tab {
  const name = location.hash.replace(/^#/, "");
  return (TABS as readonly string[]).includes(name) ? (name as Tab) : "tasks";
}

export function App() {
  const [snapshot, setSnapshot] = useState<WebSnapshot | undefined>(undefined);
  const [stream, setStream] = useState<StreamStatus>("connecting");
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [selection, setSelection] = useState<Selection | undefined>(undefined);
  const [commandError, setCommandError] = useState<string | undefined>(undefined);

  useEffect(() => subscribeSnapshots({ onSnapshot: setSnapshot, onStatus: setStream }), []);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  const openTask = useCallback((key: string) => setSelection({ kind: "task", key }), []);
  const openResource = useCallback((key: string) => setSelection({ kind: "resource", key }), []);
  const onCommand = useCallback((command: "pause" | "resume") => {
    sendCommand(command).then(setCommandError, (e: unknown) => setCommandError(String(e)));
  }, []);

  const problemKeys = useMemo(() => new Set(snapshot?.problems.flatMap((p) => p.taskKeys) ?? []), [snapshot?.problems]);
  const selectedNodeId = selection?.kind === "task" ? `t:${selection.key}` : selection?.kind === "resource" ? `r:${selection.key}` : selection?.key;
  const seq = snapshot?.seq ?? 0;
  const errors = snapshot?.problems.filter((p) => p.severity === "error").length ?? 0;

  return (
    // data-seq says which snapshot is on screen; tests and the benchmark wait on it.
    <div class="app" data-seq={seq}>
      <StatusBar snapshot={snapshot} stream={stream} commandError={commandError} onCommand={onCommand} />
      {snapshot?.replay && <ReplayControls replay={snapshot.replay} />}
      {errors > 0 && (
        <div class="alert" role="alert">
          {snapshot!.problems.find((p) => p.severity === "error")!.summary} <a href="#problems">details</a> · <a href="#graph">graph</a>
        </div>
      )}
      <div class="tabs" role="tablist">
        {TABS.map((name) => (
          <a key={name} href={`#${name}`} role="tab" aria-selected={tab === name} class={tab === name ? "active" : ""} id={`tab-${name}`}>
            {name}
            {name === "problems" && snapshot && snapshot.problems.length > 0 ? ` (${snapshot.problems.length})` : ""}
            {name === "tasks" && snapshot ? ` (${snapshot.tasks.filter((t) => t.state !== "done").length})` : ""}
          </a>
        ))}
      </div>
      <main class="layout">
        <div class="main-view">
          {!snapshot ? (
            <p class="muted">waiting for the first snapshot…</p>
          ) : tab === "tasks" ? (
            <TaskTable
              rows={snapshot.tasks}
              selectedKey={selection?.kind === "task" ? selection.key : undefined}
              problemKeys={problemKeys}
              onSelect={openTask}
            />
          ) : tab === "graph" ? (
            <GraphPanel graph={snapshot.graph} selectedNodeId={selectedNodeId} onSelect={setSelection} />
          ) : tab === "timeline" ? (
            <TimelineView
              timeline={snapshot.timeline}
              rows={snapshot.tasks}
              selectedKey={selection?.kind === "task" ? selection.key : undefined}
              onSelect={openTask}
            />
          ) : tab === "resources" ? (
            <ResourceTable rows={snapshot.resources} selectedKey={selection?.kind === "resource" ? selection.key : undefined} onSelect={openResource} />
          ) : (
            <ProblemsPanel problems={snapshot.problems} rows={snapshot.tasks} onOpenTask={openTask} />
          )}
        </div>
        <aside class="detail-pane" aria-label="details">
          {!selection ? (
            <p class="muted">Select a task or resource to see its details.</p>
          ) : selection.kind === "task" ? (
            <TaskDetailPane taskKey={selection.key} seq={seq} onOpenResource={openResource} onOpenTask={openTask} />
          ) : selection.kind === "resource" ? (
            <ResourceDetailPane resourceKey={selection.key} seq={seq} onOpenTask={openTask} />
          ) : (
            <ClusterMembers selection={selection} onOpenTask={openTask} onOpenResource={openResource} />
          )}
        </aside>
      </main>
    </div>
  );
}

function ClusterMembers({ selection, onOpenTask, onOpenResource }: { selection: Selection; onOpenTask(key: string): void; onOpenResource(key: string): void }) {
  const members = selection.members ?? [];
  return (
    <article class="detail">
      <h2>
        {members.length} similar {selection.memberKind === "resource" ? "resources" : "tasks"}
      </h2>
      <p class="muted">Folded together because they share a name, a state and the same neighbours. Pick one:</p>
      <ul class="members">
        {members.slice(0, 200).map((key) => (
          <li key={key}>
            <button type="button" class="link" onClick={() => (selection.memberKind === "resource" ? onOpenResource(key) : onOpenTask(key))}>
              {selection.memberKind === "resource" ? "resource" : "task"} {key}
            </button>
          </li>
        ))}
      </ul>
    </article>
  );
}
