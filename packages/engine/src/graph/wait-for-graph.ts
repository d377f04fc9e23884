/**
 * The wait-for graph between tasks and resources, and deadlock confirmation.
 *
 * Nodes: `t<id>` for a task; `r<id>><roles>` for one side of a resource (a
 * full channel's send side is freed by receivers, its receive side by
 * senders, so they are different nodes). Edges: an idle task points at each
 * resource side it waits on; a resource side points at every task holding a
 * role that can free it. Only idle tasks have out-edges: a running or
 * scheduled task is making progress. A deadlock is a closed SCC (see
 * incremental-scc.ts) that survives two consecutive updates with the same
 * waits. Each is classed by its evidence: `certain` when every resource
 * side's freers are certain, `likely` when some side is closed only because
 * the tasks known to use it are counted as its only users.
 */
import type { CycleResource, CycleTask, DeadlockCycle, DisplayId, Freer, FreerRole, Nanos, WaitEdge } from "../model.js";
import { freerClause, taskName, unitClause } from "../evidence/evidence-text.js";
import { isUnitResource, wayOut } from "../relations/capacity.js";
import { rolesThatFree } from "../relations/owners.js";
import { freersOf, waitsOf, type EntityIndex } from "../relations/waits.js";
import type { ResourceEntity } from "../entities/resource-entity.js";
import type { TaskEntity } from "../entities/task-entity.js";
import { IncrementalSccs, type Component } from "./incremental-scc.js";

const ROLE_SETS = ["receiver", "sender", "party", "notifier", "task", "holder", "holder+reader+permit", "all"] as const;
const ROLE_COUNT = 8;

function roleSetName(roles: ReadonlySet<FreerRole>): string {
  return roles.size >= ROLE_COUNT ? "all" : [...roles].join("+");
}

export function taskKey(id: DisplayId): string {
  return `t${id}`;
}

function resourceKey(id: DisplayId, roles: string): string {
  return `r${id}>${roles}`;
}

interface Candidate {
  readonly generation: number;
  readonly at: Nanos | undefined;
}

export class WaitForGraph {
  readonly sccs = new IncrementalSccs();
  /**
   * Resources that some task's wait ever made a node of. Only those can have
   * nodes, so refreshing or removing any other resource (a runtime drops
   * tens of thousands of timers per second) needs no key strings built.
   */
  readonly #resourcesWithNodes = new Set<DisplayId>();
  readonly #index: EntityIndex;
  readonly #candidates = new Map<string, Candidate>();
  #confirmed: Component[] = [];
  #cycleCache: { generation: number; cycles: DeadlockCycle[] } | undefined;

  constructor(index: EntityIndex) {
    this.#index = index;
  }

  /** Recomputes a task's out-edges from its state and waits. */
  refreshTask(task: TaskEntity): void {
    const key = taskKey(task.id);
    if (task.state !== "idle" || !task.ops || task.ops.size === 0) {
      this.sccs.setEdges(key, []);
      return;
    }
    const targets: string[] = [];
    const fresh: Array<[ResourceEntity, string]> = [];
    for (const wait of waitsOf(this.#index, task)) {
      const resource = wait.resource ? this.#index.resourceEntity(wait.resource.id) : undefined;
      if (!resource) continue;
      const roles = roleSetName(rolesThatFree(wait.direction, wait.asyncOp.source));
      const target = resourceKey(resource.id, roles);
      this.#resourcesWithNodes.add(resource.id);
      if (!targets.includes(target)) targets.push(target);
      if (!this.sccs.has(target)) fresh.push([resource, roles]);
    }
    this.sccs.setEdges(key, targets);
    for (const [resource, roles] of fresh) this.#refreshSide(resource, roles);
  }

  removeTask(id: DisplayId): void {
    this.sccs.remove(taskKey(id));
  }

  /** Recomputes every side of a resource that some task waits on. */
  refreshResource(resource: ResourceEntity): void {
    if (!this.#resourcesWithNodes.has(resource.id)) return;
    for (const roles of ROLE_SETS) if (this.sccs.has(resourceKey(resource.id, roles))) this.#refreshSide(resource, roles);
  }

  removeResource(id: DisplayId): void {
    if (!this.#resourcesWithNodes.delete(id)) return;
    for (const roles of ROLE_SETS) this.sccs.remove(resourceKey(id, roles));
  }

  #refreshSide(resource: ResourceEntity, roles: string): void {
    const allowed = roles === "all" ? undefined : new Set(roles.split("+"));
    const targets: string[] = [];
    const freers = freersOf(resource);
    // A wait that can end without any task acting (a timeout, a free or unaccounted unit) has a way out.
    if (wayOut(resource, freers) !== undefined) {
      this.sccs.setEdges(resourceKey(resource.id, roles), []);
      return;
    }
    for (const freer of freers) {
      if (allowed && !allowed.has(freer.role)) continue;
      const key = taskKey(freer.task);
      if (!targets.includes(key)) targets.push(key);
    }
    // A side nobody can free keeps no out-edges: it is a sink, so no deadlock runs through it.
    this.sccs.setEdges(resourceKey(resource.id, roles), targets);
  }

  /**
   * Runs detection after an update. A closed component becomes a deadlock
   * only when it was already there at an earlier generation.
   */
  afterUpdate(generation: number, now: Nanos | undefined): void {
    this.sccs.update();
    const present = new Set<string>();
    const confirmed: Component[] = [];
    for (const component of this.sccs.components()) {
      if (!component.closed || this.#handedOn(component)) continue;
      present.add(component.signature);
      const candidate = this.#candidates.get(component.signature);
      if (!candidate) this.#candidates.set(component.signature, { generation, at: now });
      else if (candidate.generation < generation) {
        // The same members with fresh waits is a new knot (a busy pipeline can form one per update).
        if (this.#waitsPredate(component, candidate.generation)) confirmed.push(component);
        else this.#candidates.set(component.signature, { generation, at: now });
      }
    }
    for (const signature of this.#candidates.keys()) if (!present.has(signature)) this.#candidates.delete(signature);
    this.#confirmed = confirmed;
  }

  /** Confirmed deadlocks, built into structured cycles (cached per generation). */
  cycles(generation: number): DeadlockCycle[] {
    if (this.#cycleCache?.generation === generation) return this.#cycleCache.cycles;
    const cycles = this.#confirmed.map((c) => this.#build(c)).sort((a, b) => (a.id < b.id ? -1 : 1));
    this.#cycleCache = { generation, cycles };
    return cycles;
  }

  /** Closed components seen but not yet confirmed (for tests and diagnostics). */
  pendingCount(): number {
    return this.#candidates.size - this.#confirmed.length;
  }

  /**
   * Whether a guard or permit held inside the component may have been handed
   * to a task outside it: its holder spawned tasks that still run. Acquiring a
   * permit and passing it to a spawned job is the usual way to bound
   * concurrency, and the job, not the acquirer, releases it.
   */
  #handedOn(component: Component): boolean {
    const childrenOf = this.#index.childrenOf;
    if (!childrenOf) return false;
    const members = new Set(component.members);
    for (const key of component.members) {
      if (key[0] !== "r") continue;
      const resource = this.#index.resourceEntity(BigInt(key.slice(1, key.indexOf(">"))));
      if (!resource) continue;
      for (const freer of freersOf(resource)) {
        if (freer.role !== "holder" && freer.role !== "reader" && freer.role !== "permit") continue;
        for (const child of childrenOf(freer.task)) {
          const task = this.#index.taskEntity(child);
          if (task && !task.completed && !members.has(taskKey(child))) return true;
        }
      }
    }
    return false;
  }

  /** Whether every wait inside the component was already reported at `generation`. */
  #waitsPredate(component: Component, generation: number): boolean {
    const members = new Set(component.members);
    for (const key of component.members) {
      if (key[0] !== "t") continue;
      const task = this.#index.taskEntity(BigInt(key.slice(1)));
      if (!task) continue;
      for (const wait of waitsOf(this.#index, task)) {
        if (!wait.resource) continue;
        const roles = roleSetName(rolesThatFree(wait.direction, wait.asyncOp.source));
        if (!members.has(resourceKey(wait.resource.id, roles))) continue;
        const op = this.#index.asyncOpEntity(wait.asyncOp.id);
        if (op && op.firstUpdate > generation) return false;
      }
    }
    return true;
  }

  #build(component: Component): DeadlockCycle {
    const members = new Set(component.members);
    const tasks: CycleTask[] = [];
    const resources = new Map<DisplayId, CycleResource>();
    const edges: WaitEdge[] = [];
    const awaitLocations: string[] = [];
    for (const key of component.members) {
      if (key[0] !== "t") continue;
      const task = this.#index.taskEntity(BigInt(key.slice(1)));
      if (!task) continue;
      const waits = waitsOf(this.#index, task).filter((w) => {
        if (!w.resource) return false;
        const roles = roleSetName(rolesThatFree(w.direction, w.asyncOp.source));
        return members.has(resourceKey(w.resource.id, roles));
      });
      tasks.push({ id: task.id, kind: task.kind, name: task.name, fields: task.fields, location: task.location, waits });
      for (const wait of waits) {
        const r = wait.resource!;
        edges.push({ from: { kind: "task", id: task.id }, to: { kind: "resource", id: r.id }, label: wait.reason, inferred: wait.asyncOp.reasonInferred });
        if (wait.awaitLocation && !awaitLocations.includes(wait.awaitLocation)) awaitLocations.push(wait.awaitLocation);
      }
    }
    let certain = true;
    // A JS guard can be handed to a timer or another task that releases it later, so a task waiting on
    // a lock it holds itself is only likely stuck (unless proven). tokio's borrowed guards (inferred
    // holders) stay inside the task's own future.
    let handedGuardPossible = false;
    const clauses: string[] = [];
    const name = (id: DisplayId): string => taskName(this.#index.taskEntity(id), id);
    for (const key of component.members) {
      if (key[0] !== "r") continue;
      const sep = key.indexOf(">");
      const resource = this.#index.resourceEntity(BigInt(key.slice(1, sep)));
      if (!resource) continue;
      const roles = key.slice(sep + 1);
      const allowed = roles === "all" ? undefined : new Set(roles.split("+"));
      resources.set(resource.id, {
        id: resource.id,
        concreteType: resource.concreteType,
        kind: resource.kind,
        label: resource.label,
        location: resource.location,
      });
      const side: Freer[] = [];
      for (const freer of freersOf(resource)) {
        if (allowed && !allowed.has(freer.role)) continue;
        if (freer.certainty !== "certain") certain = false;
        if (!members.has(taskKey(freer.task))) continue;
        if (tasks.length === 1 && !freer.inferred && (freer.role === "holder" || freer.role === "reader")) handedGuardPossible = true;
        side.push(freer);
        edges.push({ from: { kind: "resource", id: resource.id }, to: { kind: "task", id: freer.task }, label: freer.label, inferred: freer.inferred });
      }
      if (side.length === 0) continue;
      if (isUnitResource(resource) && side.every((f) => f.role === "holder")) {
        const waitingHere = (id: DisplayId): boolean => tasks.some((t) => t.id === id && t.waits.some((w) => w.resource?.id === resource.id));
        clauses.push(unitClause(resource, side, waitingHere));
      } else clauses.push(freerClause(resource, side, name));
    }
    const candidate = this.#candidates.get(component.signature);
    return {
      id: `cycle:${component.members.join(",")}`,
      basis: certain && !handedGuardPossible ? "certain" : "likely",
      evidence: clauses.join("; "),
      tasks: tasks.sort((a, b) => (a.id < b.id ? -1 : 1)),
      resources: [...resources.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
      awaitLocations,
      edges,
      firstSeenGeneration: candidate?.generation ?? 0,
      firstSeenAt: candidate?.at,
    };
  }
}
