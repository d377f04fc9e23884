/**
 * Keeps a big dependency graph readable. Up to `limit` nodes are drawn as
 * they are. Beyond that, tasks that look alike (same name, same state, same
 * neighbours) fold into one cluster node with a count, and so do resources;
 * nodes in a deadlock cycle and the selected node are never folded. A
 * neighbourhood view instead keeps only what is within `hops` of one node.
 */
import type { WebGraph, WebGraphEdge, WebGraphNode } from "../api/types.ts";

export interface ViewNode {
  readonly id: string;
  readonly kind: "task" | "resource";
  readonly label: string;
  readonly state: string | null;
  readonly inCycle: boolean;
  /** Task or resource keys behind the node: one, or many for a cluster. */
  readonly members: readonly string[];
}

export interface ViewEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly inCycle: boolean;
  readonly inferred: boolean;
}

export interface ViewGraph {
  readonly nodes: readonly ViewNode[];
  readonly edges: readonly ViewEdge[];
  /** How many graph nodes were folded into clusters. */
  readonly folded: number;
}

const single = (n: WebGraphNode): ViewNode => ({ id: n.id, kind: n.kind, label: n.label, state: n.state, inCycle: n.inCycle, members: [n.key] });

/**
 * The name part of a label, numbers folded: "task 12 worker-3" and
 * "task 13 worker-4" share "worker-#", "Mutex 7" and "Mutex 9" share "Mutex".
 */
export function family(node: Pick<WebGraphNode, "kind" | "label">): string {
  if (node.kind === "task") return node.label.replace(/^task \d+\s*/, "").replace(/\d+$/, "#") || "task";
  return node.label.replace(/\s+\d+$/, "").replace(/\d+$/, "#");
}

function edgeId(e: { from: string; to: string; label: string }): string {
  return `${e.from}|${e.to}|${e.label}`;
}

export function neighbourhood(graph: WebGraph, centre: string, hops: number): WebGraph {
  const keep = new Set([centre]);
  let frontier = [centre];
  for (let hop = 0; hop < hops; hop++) {
    const next: string[] = [];
    for (const e of graph.edges) {
      for (const [a, b] of [
        [e.from, e.to],
        [e.to, e.from],
      ] as const) {
        if (frontier.includes(a) && !keep.has(b)) {
          keep.add(b);
          next.push(b);
        }
      }
    }
    frontier = next;
  }
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

export function clusterGraph(graph: WebGraph, options: { limit: number; keep?: string | undefined; hideIdle?: boolean }): ViewGraph {
  const connected = new Set<string>();
  for (const e of graph.edges) {
    connected.add(e.from);
    connected.add(e.to);
  }
  const nodes = options.hideIdle ? graph.nodes.filter((n) => connected.has(n.id) || n.id === options.keep) : graph.nodes;
  if (nodes.length <= options.limit) {
    const ids = new Set(nodes.map((n) => n.id));
    const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
    return {
      nodes: nodes.map(single),
      edges: edges.map((e) => ({ id: edgeId(e), from: e.from, to: e.to, label: e.label, inCycle: e.inCycle, inferred: e.inferred })),
      folded: 0,
    };
  }

  const out = new Map<string, WebGraphEdge[]>();
  const into = new Map<string, WebGraphEdge[]>();
  for (const e of graph.edges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
    (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e);
  }
  // Two passes: resources first (their signature is who waits on them), then tasks against the folded resources.
  const clusterOf = new Map<string, string>();
  const groups = new Map<string, WebGraphNode[]>();
  const signature = (n: WebGraphNode, mapped: (id: string) => string) => {
    const outs = (out.get(n.id) ?? []).map((e) => `>${mapped(e.to)}:${e.label}`).sort();
    const ins = (into.get(n.id) ?? []).map((e) => `<${mapped(e.from)}:${e.label}`).sort();
    return `${n.kind}|${family(n)}|${n.state ?? ""}|${outs.join(",")}|${ins.join(",")}`;
  };
  const fold = (kind: "task" | "resource", mapped: (id: string) => string) => {
    for (const n of nodes) {
      if (n.kind !== kind || n.inCycle || n.id === options.keep) continue;
      const sig = signature(n, mapped);
      (groups.get(sig) ?? groups.set(sig, []).get(sig)!).push(n);
    }
    for (const [sig, members] of groups) {
      if (members.length < 2 || !sig.startsWith(kind)) continue;
      const id = `c:${kind}:${members[0]!.id}`;
      for (const m of members) clusterOf.set(m.id, id);
    }
  };
  // Resources are grouped by family only (not neighbours), or per-task channels would never fold.
  fold("resource", () => "");
  fold("task", (id) => clusterOf.get(id) ?? id);

  const viewNodes = new Map<string, ViewNode>();
  const members = new Map<string, WebGraphNode[]>();
  for (const n of nodes) {
    const id = clusterOf.get(n.id);
    if (id === undefined) viewNodes.set(n.id, single(n));
    else (members.get(id) ?? members.set(id, []).get(id)!).push(n);
  }
  for (const [id, list] of members) {
    const first = list[0]!;
    viewNodes.set(id, {
      id,
      kind: first.kind,
      label: `${family(first)} ×${list.length}${first.state ? ` (${first.state})` : ""}`,
      state: first.state,
      inCycle: false,
      members: list.map((m) => m.key),
    });
  }
  const edges = new Map<string, ViewEdge & { count: number }>();
  for (const e of graph.edges) {
    const from = clusterOf.get(e.from) ?? e.from;
    const to = clusterOf.get(e.to) ?? e.to;
    if (!viewNodes.has(from) || !viewNodes.has(to)) continue;
    const id = edgeId({ from, to, label: e.label });
    const seen = edges.get(id);
    if (seen) seen.count += 1;
    else edges.set(id, { id, from, to, label: e.label, inCycle: e.inCycle, inferred: e.inferred, count: 1 });
  }
  return {
    nodes: [...viewNodes.values()],
    edges: [...edges.values()].map(({ count, ...e }) => (count > 1 ? { ...e, label: `${e.label} ×${count}` } : e)),
    folded: [...members.values()].reduce((n, list) => n + list.length, 0),
  };
}

/**
 * When even clusters are too many to draw, the overview keeps what matters
 * most: deadlock cycles and the selection, with their direct neighbours.
 */
export function overviewGraph(graph: WebGraph, keep: string | undefined): WebGraph {
  const centres = new Set(graph.nodes.filter((n) => n.inCycle).map((n) => n.id));
  if (keep) centres.add(keep);
  const wanted = new Set(centres);
  for (const e of graph.edges) {
    if (centres.has(e.from)) wanted.add(e.to);
    if (centres.has(e.to)) wanted.add(e.from);
  }
  return { nodes: graph.nodes.filter((n) => wanted.has(n.id)), edges: graph.edges.filter((e) => wanted.has(e.from) && wanted.has(e.to)) };
}
