/**
 * The task/resource dependency graph the page draws: task --reason--> resource
 * for every wait, resource --role--> task for every task that can free it,
 * with the same words the engine's DOT export puts on its edges. Every live
 * task is a node (the page folds idle ones away), and members of confirmed
 * deadlock cycles are marked.
 */
import { rolesThatFree, type DeadlockCycle, type Freer, type GraphNodeRef, type RuntimeStore, type Wait } from "@async-insight/engine";
import { taskIdAndName } from "../wording/task-text.js";
import { WaitIndex } from "../wording/wait-index.js";
import { displayState } from "./engine-view.js";
import type { WebGraph, WebGraphEdge, WebGraphNode } from "@async-insight/web-contract";

export const taskNodeId = (id: bigint | string) => `t:${id}`;
export const resourceNodeId = (id: bigint | string) => `r:${id}`;
const refId = (ref: GraphNodeRef) => (ref.kind === "task" ? taskNodeId(ref.id) : resourceNodeId(ref.id));

/** The freers that can end these waits, by the engine's rule (a receiver for a blocked send...). */
export function relevantFreers(freers: readonly Freer[], waits: readonly Wait[]): Freer[] {
  const wanted = new Set<string>();
  for (const w of waits) for (const role of rolesThatFree(w.direction, w.asyncOp.source)) wanted.add(role);
  return freers.filter((f) => wanted.has(f.role));
}

function cycleMembers(cycles: readonly DeadlockCycle[]): { nodes: Set<string>; edges: Set<string>; links: DeadlockCycle["edges"][number][] } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const links: DeadlockCycle["edges"][number][] = [];
  for (const cycle of cycles) {
    for (const t of cycle.tasks) nodes.add(taskNodeId(t.id));
    for (const r of cycle.resources) nodes.add(resourceNodeId(r.id));
    for (const e of cycle.edges) {
      edges.add(`${refId(e.from)}>${refId(e.to)}`);
      links.push(e);
    }
  }
  return { nodes, edges, links };
}

export function buildGraph(store: RuntimeStore, waits: WaitIndex = new WaitIndex(store)): WebGraph {
  const inCycle = cycleMembers(store.cycles());
  const nodes = new Map<string, WebGraphNode>();
  const edges = new Map<string, WebGraphEdge>();
  const addEdge = (from: string, to: string, label: string, relation: "waits" | "frees", inferred: boolean) => {
    const key = `${from}\u0000${to}\u0000${label}`;
    if (!edges.has(key)) edges.set(key, { from, to, label, relation, inferred, inCycle: inCycle.edges.has(`${from}>${to}`) });
  };
  const resources = new Set<bigint>();
  for (const task of store.tasks()) {
    if (task.state === "completed") continue;
    const taskWaits = waits.waitsOf(task.id);
    const id = taskNodeId(task.id);
    nodes.set(id, { id, kind: "task", key: String(task.id), label: taskIdAndName(task), state: displayState(store, task), inCycle: inCycle.nodes.has(id) });
    for (const wait of taskWaits) {
      if (!wait.resource) continue;
      resources.add(wait.resource.id);
      addEdge(id, resourceNodeId(wait.resource.id), wait.reason, "waits", wait.asyncOp.reasonInferred);
    }
  }
  for (const rid of resources) {
    const resource = store.resource(rid);
    if (!resource) continue;
    const id = resourceNodeId(rid);
    nodes.set(id, { id, kind: "resource", key: String(rid), label: resource.label, state: null, inCycle: inCycle.nodes.has(id) });
    for (const freer of relevantFreers(store.freersOf(rid), waits.waitersOf(rid))) {
      const to = taskNodeId(freer.task);
      if (nodes.has(to) || store.task(freer.task)?.state !== "completed") addEdge(id, to, freer.label, "frees", freer.inferred);
    }
  }
  // A proven group is linked through ends its members used without being able to free the wait
  // (the story's task is the only sender into its own channel): draw those links of the deadlock too.
  const linked = new Set([...edges.values()].map((e) => `${e.from}>${e.to}`));
  for (const e of inCycle.links) {
    const [from, to] = [refId(e.from), refId(e.to)];
    if (e.from.kind === "resource" && !linked.has(`${from}>${to}`)) {
      linked.add(`${from}>${to}`);
      addEdge(from, to, e.label, "frees", e.inferred);
    }
  }
  // A freer that finished (or is not a live task) has no node; its edge would dangle.
  const kept = [...edges.values()].filter((e) => nodes.has(e.from) && nodes.has(e.to));
  return { nodes: [...nodes.values()], edges: kept };
}
