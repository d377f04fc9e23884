/**
 * Groups of tasks proven stuck (no waker of them exists: the Node library's
 * GC proof, or tokio's lost waker), arranged so that each problem is told
 * once. A task links to another when it waits on a resource the other uses
 * in any role: a proven-stuck task cannot run, so whatever it holds or would
 * send stays as it is, whether or not its role could free the wait.
 *
 * Tasks nobody waits on (through a resource they use) are peeled off, until
 * what remains holds each other: one deadlock per linked set. A peeled task
 * that still links to a stuck task is downstream (the story's GET /process
 * request waits on process-jobs; nothing waits on it), unless the set has an
 * open end (a member waits on a resource no member uses): then the tasks
 * linked into it may hold that end's unused handle, and join it. A peeled task that
 * links to none is stranded: stuck on resources no stuck task uses. Stranded
 * tasks are a deadlock of their own (tasks sharing a resource together),
 * unless every wait is doomed or nothing is visible to wait on: then each is
 * never-woken.
 */
import type { CycleResource, CycleTask, DeadlockCycle, DisplayId, NeverWokenVerdict, Wait, WaitEdge } from "../model.js";
import { rolesThatFree } from "../relations/owners.js";
import { freersOf, waitsOf, type EntityIndex } from "../relations/waits.js";
import type { TaskEntity } from "../entities/task-entity.js";

export interface ProvenAnalysis {
  /** Linked groups, basis `proven`. */
  readonly groups: DeadlockCycle[];
  readonly neverWoken: NeverWokenVerdict[];
  /** Proven-stuck tasks that only wait on the above. */
  readonly downstream: ReadonlySet<DisplayId>;
}

interface Node {
  readonly task: TaskEntity;
  /** Waits on a known resource. */
  readonly waits: Wait[];
  /** Stuck tasks using a resource this task waits on (may include itself). */
  readonly out: Set<DisplayId>;
  readonly into: Set<DisplayId>;
}

/**
 * `stuck` are the confirmed proven-stuck tasks; `covered` are tasks already
 * in a certain deadlock cycle (they count as stuck owners but are not
 * reported again); `doom` says why a wait can never complete, if it can't.
 */
export function provenAnalysis(
  index: EntityIndex,
  stuck: readonly TaskEntity[],
  covered: ReadonlySet<DisplayId>,
  doom: (wait: Wait) => string | undefined,
): ProvenAnalysis {
  const nodes = linkNodes(index, stuck);
  const { remaining, peeled } = peel(nodes);
  const downstream = new Set<DisplayId>();
  const stranded: Node[] = [];
  const neverWoken: NeverWokenVerdict[] = [];
  for (const id of peeled) {
    const node = nodes.get(id)!;
    if (covered.has(id)) continue;
    if (node.out.size > 0) downstream.add(id);
    else stranded.push(node);
  }
  // A remaining task that waits on nothing visible is held by others but stuck on its own account.
  for (const id of [...remaining]) {
    const node = nodes.get(id)!;
    if (node.waits.length > 0) continue;
    remaining.delete(id);
    if (!covered.has(id)) stranded.push(node);
  }
  for (const node of stranded) {
    const all = waitsOf(index, node.task);
    if (all.length === 0) {
      // A request ends when its response closes and main never ends: other code ends them, so their
      // own context being unreachable proves nothing when nothing visible is awaited.
      if (node.task.kind === "request" || node.task.kind === "main") continue;
      neverWoken.push({ task: node.task.id, waits: [], basis: "proven", reasons: ["nothing that can still run can resolve what it awaits"] });
      continue;
    }
    const reasons = all.map(doom);
    if (reasons.every((r) => r !== undefined)) neverWoken.push({ task: node.task.id, waits: all, basis: "doomed", reasons: reasons as string[] });
    else neverWoken.push({ task: node.task.id, waits: all, basis: "proven", reasons: ["nothing that can still run can wake it"] });
  }
  const groups: DeadlockCycle[] = [];
  for (const core of linkedSets(nodes, remaining)) {
    const members = openEnded(index, nodes, core) ? withLinkedDownstream(index, nodes, core, downstream) : core;
    const reported = members.filter((id) => !covered.has(id));
    if (reported.length > 0) groups.push(buildGroup(index, nodes, reported));
  }
  neverWoken.sort((a, b) => (a.task < b.task ? -1 : 1));
  return { groups: groups.sort((a, b) => (a.id < b.id ? -1 : 1)), neverWoken, downstream };
}

function linkNodes(index: EntityIndex, stuck: readonly TaskEntity[]): Map<DisplayId, Node> {
  const nodes = new Map<DisplayId, Node>();
  for (const task of stuck) nodes.set(task.id, { task, waits: waitsOf(index, task).filter((w) => w.resource), out: new Set(), into: new Set() });
  for (const node of nodes.values()) {
    for (const wait of node.waits) {
      const resource = index.resourceEntity(wait.resource!.id);
      if (!resource) continue;
      const freeing = rolesThatFree(wait.direction, wait.asyncOp.source);
      for (const freer of freersOf(resource)) {
        const other = nodes.get(freer.task);
        if (!other) continue;
        // A oneshot's ends are separate objects: having used the receiving end says nothing about
        // holding the sender, so a task waits on itself only through a role that could end the wait.
        if (other === node && hasSeparateEnds(resource.concreteType) && !freeing.has(freer.role)) continue;
        node.out.add(other.task.id);
        other.into.add(node.task.id);
      }
    }
  }
  return nodes;
}

/** Primitives whose sending and receiving ends are different objects (insight's and tokio's oneshot). */
function hasSeparateEnds(concreteType: string): boolean {
  return concreteType === "Oneshot" || concreteType === "Sender|Receiver";
}

/** Peels tasks nobody left waits on (Kahn's order on in-links); what remains holds each other. */
function peel(nodes: ReadonlyMap<DisplayId, Node>): { remaining: Set<DisplayId>; peeled: DisplayId[] } {
  const remaining = new Set(nodes.keys());
  const peeled: DisplayId[] = [];
  const inDegree = new Map<DisplayId, number>();
  for (const node of nodes.values()) inDegree.set(node.task.id, node.into.size);
  const queue = [...remaining].filter((id) => inDegree.get(id) === 0);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (!remaining.delete(id)) continue;
    peeled.push(id);
    for (const next of nodes.get(id)!.out) {
      if (next === id || !remaining.has(next)) continue;
      const left = inDegree.get(next)! - 1;
      inDegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  return { remaining, peeled };
}

/** Weakly connected sets of `within`, each sorted by id. */
function linkedSets(nodes: ReadonlyMap<DisplayId, Node>, within: ReadonlySet<DisplayId>): DisplayId[][] {
  const seen = new Set<DisplayId>();
  const sets: DisplayId[][] = [];
  for (const start of within) {
    if (seen.has(start)) continue;
    const set: DisplayId[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const id = stack.pop()!;
      set.push(id);
      const node = nodes.get(id)!;
      for (const next of [...node.out, ...node.into]) {
        if (within.has(next) && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    sets.push(set.sort((a, b) => (a < b ? -1 : 1)));
  }
  return sets;
}

/**
 * Whether a member waits on a resource no member uses: the group does not
 * explain what holds that wait up, and the handle behind it (a oneshot's
 * sender nobody has used yet) may sit with a stuck task linked to the group.
 */
function openEnded(index: EntityIndex, nodes: ReadonlyMap<DisplayId, Node>, core: readonly DisplayId[]): boolean {
  const members = new Set(core);
  for (const id of core) {
    for (const wait of nodes.get(id)!.waits) {
      const resource = index.resourceEntity(wait.resource!.id);
      const roles = rolesThatFree(wait.direction, wait.asyncOp.source);
      if (resource && !freersOf(resource).some((f) => roles.has(f.role) && members.has(f.task))) return true;
    }
  }
  return false;
}

/**
 * The core plus the downstream tasks linked into it by something other than
 * awaiting a member's completion (moved out of `downstream`), sorted. A task
 * awaiting a join is how a caller waits for its callee: downstream, as the
 * story's request is. A task queued on a member's lock is a participant.
 */
function withLinkedDownstream(index: EntityIndex, nodes: ReadonlyMap<DisplayId, Node>, core: readonly DisplayId[], downstream: Set<DisplayId>): DisplayId[] {
  const members = new Set(core);
  const stack = [...core];
  while (stack.length > 0) {
    for (const from of nodes.get(stack.pop()!)!.into) {
      if (members.has(from) || !downstream.has(from)) continue;
      const participates = nodes.get(from)!.waits.some((w) => {
        const resource = index.resourceEntity(w.resource!.id);
        return resource !== undefined && resource.concreteType !== "JoinHandle" && freersOf(resource).some((f) => members.has(f.task));
      });
      if (!participates) continue;
      downstream.delete(from);
      members.add(from);
      stack.push(from);
    }
  }
  return [...members].sort((a, b) => (a < b ? -1 : 1));
}

function buildGroup(index: EntityIndex, nodes: ReadonlyMap<DisplayId, Node>, members: readonly DisplayId[]): DeadlockCycle {
  const inGroup = new Set(members);
  const tasks: CycleTask[] = [];
  const resources = new Map<DisplayId, CycleResource>();
  const edges: WaitEdge[] = [];
  const awaitLocations: string[] = [];
  let since = 0;
  for (const id of members) {
    const node = nodes.get(id)!;
    const task = node.task;
    since = Math.max(since, task.stuckSince ?? 0);
    // Every wait, not only the linking ones: a member's wait on a reply nobody known will send is part of the story.
    tasks.push({ id: task.id, kind: task.kind, name: task.name, fields: task.fields, location: task.location, waits: node.waits });
    for (const wait of node.waits) {
      const r = wait.resource!;
      if (!resources.has(r.id)) resources.set(r.id, { id: r.id, concreteType: r.concreteType, kind: r.kind, label: r.label, location: r.location });
      edges.push({ from: { kind: "task", id: task.id }, to: { kind: "resource", id: r.id }, label: wait.reason, inferred: wait.asyncOp.reasonInferred });
      if (wait.awaitLocation && !awaitLocations.includes(wait.awaitLocation)) awaitLocations.push(wait.awaitLocation);
    }
  }
  for (const r of resources.values()) {
    const entity = index.resourceEntity(r.id);
    if (!entity) continue;
    const seen = new Set<string>();
    for (const freer of freersOf(entity)) {
      if (!inGroup.has(freer.task) || seen.has(`${freer.task}:${freer.role}`)) continue;
      seen.add(`${freer.task}:${freer.role}`);
      edges.push({ from: { kind: "resource", id: r.id }, to: { kind: "task", id: freer.task }, label: freer.label, inferred: freer.inferred });
    }
  }
  const sortedResources = [...resources.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const keys = [...members.map((id) => `t${id}`), ...sortedResources.map((r) => `r${r.id}`)];
  return {
    id: `cycle:proven:${keys.join(",")}`,
    basis: "proven",
    evidence: members.length === 1 ? "nothing that can still run can wake it" : "nothing that can still run can wake them",
    tasks,
    resources: sortedResources,
    awaitLocations,
    edges,
    firstSeenGeneration: since,
    firstSeenAt: undefined,
  };
}
