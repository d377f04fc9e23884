import { describe, expect, it } from "vitest";
import type { WebGraph, WebGraphEdge, WebGraphNode } from "../api/types.ts";
import { clusterGraph, neighbourhood } from "./cluster-graph.ts";

function bigGraph(workers: number): WebGraph {
  const nodes: WebGraphNode[] = [
    { id: "r:1", kind: "resource", key: "1", label: "jobs", state: null, inCycle: false },
    { id: "t:1", kind: "task", key: "1", label: "task 1 dispatcher", state: "idle", inCycle: false },
    { id: "t:2", kind: "task", key: "2", label: "task 2 a", state: "blocked", inCycle: true },
    { id: "r:2", kind: "resource", key: "2", label: "Mutex 2", state: null, inCycle: true },
  ];
  const edges: WebGraphEdge[] = [
    { from: "r:1", to: "t:1", label: "sole sender", relation: "frees", inferred: false, inCycle: false },
    { from: "t:2", to: "r:2", label: "waiting for lock", relation: "waits", inferred: false, inCycle: true },
    { from: "r:2", to: "t:2", label: "lock holder (mutex)", relation: "frees", inferred: false, inCycle: true },
  ];
  for (let i = 0; i < workers; i++) {
    const id = `t:${100 + i}`;
    nodes.push({ id, kind: "task", key: String(100 + i), label: `task ${100 + i} worker`, state: "blocked", inCycle: false });
    edges.push({ from: id, to: "r:1", label: "waiting for a message", relation: "waits", inferred: false, inCycle: false });
  }
  return { nodes, edges };
}

describe("clusterGraph", () => {
  it("leaves small graphs alone", () => {
    const view = clusterGraph(bigGraph(3), { limit: 50 });
    expect(view.nodes).toHaveLength(7);
    expect(view.folded).toBe(0);
  });

  it("folds thousands of look-alike tasks into one node, keeping the cycle and the selection", () => {
    const view = clusterGraph(bigGraph(5000), { limit: 250, keep: "t:150" });
    expect(view.nodes.length).toBeLessThan(10);
    const cluster = view.nodes.find((n) => n.members.length > 1)!;
    expect(cluster.label).toBe("worker ×4999 (blocked)");
    expect(view.nodes.some((n) => n.id === "t:150")).toBe(true);
    expect(
      view.nodes
        .filter((n) => n.inCycle)
        .map((n) => n.id)
        .sort(),
    ).toEqual(["r:2", "t:2"]);
    expect(view.edges.find((e) => e.from === cluster.id)?.label).toBe("waiting for a message ×4999");
    expect(view.folded).toBe(4999);
  });

  it("hides tasks with no edges when asked", () => {
    const graph = bigGraph(0);
    const lonely: WebGraphNode = { id: "t:9", kind: "task", key: "9", label: "task 9", state: "idle", inCycle: false };
    const view = clusterGraph({ nodes: [...graph.nodes, lonely], edges: graph.edges }, { limit: 50, hideIdle: true });
    expect(view.nodes.some((n) => n.id === "t:9")).toBe(false);
  });

  it("keeps what is within reach of a node in the neighbourhood view", () => {
    const near = neighbourhood(bigGraph(10), "t:100", 2);
    expect(near.nodes.map((n) => n.id).sort()).toEqual(["r:1", "t:1", ...Array.from({ length: 10 }, (_, i) => `t:${100 + i}`)].sort());
  });
});

describe("family and overview", () => {
  it("folds numbers out of names", async () => {
    const { family } = await import("./cluster-graph.ts");
    expect(family({ kind: "task", label: "task 12 worker-3" })).toBe("worker-#");
    expect(family({ kind: "resource", label: "Mutex 7" })).toBe("Mutex");
    expect(family({ kind: "resource", label: "stage_12" })).toBe("stage_#");
  });

  it("keeps cycles and the selection with their neighbours", async () => {
    const { overviewGraph } = await import("./cluster-graph.ts");
    const view = overviewGraph(bigGraph(20), "t:105");
    expect(view.nodes.map((n) => n.id).sort()).toEqual(["r:1", "r:2", "t:105", "t:2"]);
  });
});
