/**
 * A neutral node/edge view of (part of) the wait-for graph, which the DOT and
 * Mermaid writers render. Three shapes: one deadlock cycle, the
 * neighbourhood of a task, and every current wait in the store.
 */
import type { DeadlockCycle, DisplayId, Freer, TaskState, Wait } from "../model.js";
import { rolesThatFree } from "../relations/owners.js";
import type { RuntimeStore } from "../store/store.js";

export interface GraphViewNode {
  /** `t<id>` or `r<id>`: unique and safe as an identifier. */
  readonly key: string;
  readonly kind: "task" | "resource";
  readonly id: DisplayId;
  readonly label: string;
  readonly state?: TaskState;
}

export interface GraphViewEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly inferred: boolean;
}

export interface GraphView {
  readonly nodes: readonly GraphViewNode[];
  readonly edges: readonly GraphViewEdge[];
}

const tKey = (id: DisplayId) => `t${id}`;
const rKey = (id: DisplayId) => `r${id}`;

export function taskNameOrId(name: string | undefined, id: DisplayId): string {
  return name ?? `task ${id}`;
}

export function cycleView(cycle: DeadlockCycle): GraphView {
  const nodes: GraphViewNode[] = [
    ...cycle.tasks.map((t) => ({ key: tKey(t.id), kind: "task" as const, id: t.id, label: taskNameOrId(t.name, t.id) })),
    ...cycle.resources.map((r) => ({ key: rKey(r.id), kind: "resource" as const, id: r.id, label: r.label })),
  ];
  const edges = cycle.edges.map((e) => ({
    from: e.from.kind === "task" ? tKey(e.from.id) : rKey(e.from.id),
    to: e.to.kind === "task" ? tKey(e.to.id) : rKey(e.to.id),
    label: e.label,
    inferred: e.inferred,
  }));
  return { nodes, edges };
}

/** Freers that matter for these waits: receivers for a blocked send, and so on. */
function relevantFreers(freers: readonly Freer[], waits: readonly Wait[]): Freer[] {
  if (waits.length === 0) return [...freers];
  const roles = new Set(waits.flatMap((w) => [...rolesThatFree(w.direction, w.asyncOp.source)]));
  return freers.filter((f) => roles.has(f.role));
}

class ViewBuilder {
  readonly #nodes = new Map<string, GraphViewNode>();
  readonly #edges = new Map<string, GraphViewEdge>();
  constructor(readonly store: RuntimeStore) {}

  task(id: DisplayId): string {
    const key = tKey(id);
    if (!this.#nodes.has(key)) {
      const task = this.store.task(id);
      this.#nodes.set(key, { key, kind: "task", id, label: taskNameOrId(task?.name, id), state: task?.state ?? "completed" });
    }
    return key;
  }

  resource(id: DisplayId, label: string): string {
    const key = rKey(id);
    if (!this.#nodes.has(key)) this.#nodes.set(key, { key, kind: "resource", id, label });
    return key;
  }

  edge(from: string, to: string, label: string, inferred: boolean): void {
    const k = `${from}\u0000${to}\u0000${label}`;
    if (!this.#edges.has(k)) this.#edges.set(k, { from, to, label, inferred });
  }

  /** Adds a task's waits and, for each resource, the freers relevant to all its waiters. */
  waitsOf(task: DisplayId): DisplayId[] {
    const resources: DisplayId[] = [];
    for (const wait of this.store.waitsOf(task)) {
      if (!wait.resource) continue;
      this.edge(this.task(task), this.resource(wait.resource.id, wait.resource.label), wait.reason, wait.asyncOp.reasonInferred);
      resources.push(wait.resource.id);
    }
    return resources;
  }

  freersOf(resource: DisplayId, label: string): DisplayId[] {
    const waits = this.store.waitersOf(resource);
    const freers = relevantFreers(this.store.freersOf(resource), waits);
    for (const f of freers) this.edge(this.resource(resource, label), this.task(f.task), f.label, f.inferred);
    return [...freers.map((f) => f.task), ...waits.map((w) => w.task)];
  }

  build(): GraphView {
    return { nodes: [...this.#nodes.values()], edges: [...this.#edges.values()] };
  }
}

/** Every live task that waits on something, the resources, and who can free them. */
export function wholeGraphView(store: RuntimeStore): GraphView {
  const b = new ViewBuilder(store);
  const seen = new Set<DisplayId>();
  for (const task of store.tasks()) {
    if (task.state === "completed") continue;
    for (const r of b.waitsOf(task.id)) {
      if (seen.has(r)) continue;
      seen.add(r);
      b.freersOf(r, store.resource(r)?.label ?? `resource ${r}`);
    }
  }
  return b.build();
}

/** Everything within `depth` hops of a task (waits, freers, other waiters). */
export function neighbourhoodView(store: RuntimeStore, task: DisplayId, depth = 2): GraphView {
  const b = new ViewBuilder(store);
  b.task(task);
  let frontier: DisplayId[] = [task];
  const seenTasks = new Set<DisplayId>([task]);
  const seenResources = new Set<DisplayId>();
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const next: DisplayId[] = [];
    for (const t of frontier) {
      for (const r of b.waitsOf(t)) {
        if (seenResources.has(r)) continue;
        seenResources.add(r);
        for (const other of b.freersOf(r, store.resource(r)?.label ?? `resource ${r}`)) {
          if (!seenTasks.has(other)) {
            seenTasks.add(other);
            next.push(other);
            b.waitsOf(other);
          }
        }
      }
    }
    frontier = next;
  }
  return b.build();
}
