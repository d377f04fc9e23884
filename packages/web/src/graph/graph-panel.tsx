/**
 * The dependency graph, drawn with cytoscape and laid out by dagre. The
 * layout only runs when the set of nodes or edges changes; a snapshot that
 * merely changes states restyles the existing elements, so live updates do
 * not make the picture jump.
 */
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { WebGraph } from "../api/types.ts";
import { clusterGraph, neighbourhood, overviewGraph, type ViewGraph } from "./cluster-graph.ts";
import { GRAPH_STYLE } from "./graph-style.ts";

cytoscape.use(dagre);

/** Above this many nodes, similar ones fold into clusters. */
const CLUSTER_LIMIT = 250;
/** Dagre is quadratic-ish; past this a grid keeps the page responsive. */
const DAGRE_LIMIT = 600;
const MAX_FIT_ZOOM = 1.4;
/** Past this many nodes after folding, only cycles and the selection are drawn. */
const DRAW_LIMIT = 1500;

export interface Selection {
  readonly kind: "task" | "resource" | "cluster";
  readonly key: string;
  /** For clusters: the members. */
  readonly members?: readonly string[];
  readonly memberKind?: "task" | "resource";
}

interface Props {
  readonly graph: WebGraph;
  readonly selectedNodeId: string | undefined;
  onSelect(selection: Selection): void;
}

/**
 * Dagre places nodes but cytoscape draws edges straight, so an edge that
 * closes a cycle or skips a rank could run through the nodes in between.
 * Those edges (and only those) get an arc; backwards ones bend the other way
 * from forwards ones so a cycle reads as a loop.
 */
function bendBlockedEdges(cy: cytoscape.Core): void {
  const boxes = cy.nodes().map((n) => ({ id: n.id(), box: n.boundingBox() }));
  cy.batch(() => {
    cy.edges().forEach((edge) => {
      const a = edge.source().position();
      const b = edge.target().position();
      const ends = new Set([edge.source().id(), edge.target().id()]);
      const blocked = boxes.some(({ id, box }) => {
        if (ends.has(id)) return false;
        const cx = (box.x1 + box.x2) / 2;
        if (cx <= Math.min(a.x, b.x) || cx >= Math.max(a.x, b.x)) return false;
        const y = a.y + ((b.y - a.y) * (cx - a.x)) / (b.x - a.x || 1);
        return y > box.y1 - 6 && y < box.y2 + 6;
      });
      if (!blocked) return;
      const lift = Math.min(240, 50 + Math.abs(b.x - a.x) * 0.2);
      edge.style({ "curve-style": "unbundled-bezier", "control-point-distances": [b.x < a.x ? lift : -lift], "control-point-weights": [0.5] });
    });
  });
}

function structureKey(view: ViewGraph): string {
  return `${view.nodes.map((n) => n.id).join(",")}#${view.edges.map((e) => e.id).join(",")}`;
}

export function GraphPanel({ graph, selectedNodeId, onSelect }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const structure = useRef("");
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const [focus, setFocus] = useState(false);
  const [hideIdle, setHideIdle] = useState(true);

  const { view, overview } = useMemo(() => {
    const base = focus && selectedNodeId ? neighbourhood(graph, selectedNodeId, 2) : graph;
    const folded = clusterGraph(base, { limit: CLUSTER_LIMIT, keep: selectedNodeId, hideIdle });
    if (folded.nodes.length <= DRAW_LIMIT) return { view: folded, overview: false };
    return { view: clusterGraph(overviewGraph(base, selectedNodeId), { limit: CLUSTER_LIMIT, keep: selectedNodeId }), overview: true };
  }, [graph, focus, selectedNodeId, hideIdle]);

  useEffect(() => {
    const cy = cytoscape({ container: container.current, style: GRAPH_STYLE, minZoom: 0.05, maxZoom: 4, wheelSensitivity: 0.3 });
    cyRef.current = cy;
    // Tests and curious users can reach the graph from the devtools; it holds no secrets.
    (container.current as unknown as { cy?: cytoscape.Core }).cy = cy;
    cy.on("tap", "node", (event) => {
      const node = event.target as cytoscape.NodeSingular;
      const members = node.data("members") as string[];
      const kind = node.data("kind") as "task" | "resource";
      if (members.length === 1) onSelectRef.current({ kind, key: members[0]! });
      else onSelectRef.current({ kind: "cluster", key: node.id(), members, memberKind: kind });
    });
    return () => cy.destroy();
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const key = structureKey(view);
    const data = (n: ViewGraph["nodes"][number]) => ({
      id: n.id,
      label: n.label,
      kind: n.kind,
      state: n.state ?? "",
      inCycle: n.inCycle,
      members: n.members,
      cluster: n.members.length > 1,
    });
    if (key === structure.current) {
      cy.batch(() => {
        for (const n of view.nodes) cy.getElementById(n.id).data(data(n));
        for (const e of view.edges) cy.getElementById(e.id).data({ inCycle: e.inCycle });
      });
      return;
    }
    structure.current = key;
    cy.batch(() => {
      cy.elements().remove();
      cy.add([
        ...view.nodes.map((n) => ({ group: "nodes" as const, data: data(n) })),
        ...view.edges.map((e) => ({
          group: "edges" as const,
          data: { id: e.id, source: e.from, target: e.to, label: e.label, inCycle: e.inCycle, inferred: e.inferred },
        })),
      ]);
    });
    const layout =
      view.nodes.length <= DAGRE_LIMIT
        ? ({ name: "dagre", rankDir: "LR", nodeSep: 24, rankSep: 170, edgeSep: 10, animate: false, fit: true, padding: 24 } as cytoscape.LayoutOptions)
        : ({ name: "grid", avoidOverlap: true, fit: true, padding: 24, animate: false } as cytoscape.LayoutOptions);
    cy.layout(layout).run();
    bendBlockedEdges(cy);
    // A two-node graph fitted to the pane would be drawn enormous; keep text at a readable size.
    if (cy.zoom() > MAX_FIT_ZOOM) {
      cy.zoom(MAX_FIT_ZOOM);
      cy.center();
    }
    container.current?.setAttribute("data-layout-key", String(view.nodes.length));
  }, [view]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.nodes(":selected").unselect();
    if (selectedNodeId) cy.getElementById(selectedNodeId).select();
  }, [selectedNodeId, view]);

  const cycleCount = view.nodes.filter((n) => n.inCycle).length;
  return (
    <section class="graph-pane" aria-label="dependency graph">
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={hideIdle} onChange={(e) => setHideIdle((e.target as HTMLInputElement).checked)} /> only tasks that wait or can free
        </label>
        <label>
          <input type="checkbox" checked={focus} disabled={!selectedNodeId} onChange={(e) => setFocus((e.target as HTMLInputElement).checked)} /> neighbourhood
          of selection
        </label>
        <button type="button" onClick={() => cyRef.current?.fit(undefined, 24)}>
          fit
        </button>
        <span class="muted">
          {view.nodes.length} nodes, {view.edges.length} edges{view.folded > 0 ? `, ${view.folded} folded into clusters` : ""}
        </span>
        {cycleCount > 0 && <span class="cycle-note">deadlock cycle shown in red</span>}
        {overview && (
          <span class="notice-inline">
            too many distinct nodes to draw: showing deadlock cycles and the selection with their neighbours; select a task in the table to see its part
          </span>
        )}
      </div>
      <div id="graph-canvas" class="graph-canvas" ref={container} data-node-count={view.nodes.length} data-cycle-nodes={cycleCount} />
    </section>
  );
}
