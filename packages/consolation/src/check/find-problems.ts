/**
 * The problems `check` reports, computed on a CheckModel (see its note: an
 * adapter until @insight/engine exports lints and cycle detection).
 *
 * deadlock: a cycle in the wait-for graph. A task waits for a resource when it
 * has a live async op on it whose last poll was Pending; the resource is held
 * by the task whose poll op acquired it last (tokio data, inferred) or by the
 * `holder`/`permit` owners insight reports in `insight.owners`.
 * The other lints follow tokio-console's definitions.
 */
import type { CheckModel } from "./check-model.js";

export interface ProblemLocation {
  readonly what: string;
  readonly where: string;
}

export interface Problem {
  readonly id: string;
  readonly summary: string;
  readonly locations: readonly ProblemLocation[];
  readonly docs: string;
}

export const LINTS: Record<string, { readonly deniedByDefault: boolean; readonly about: string }> = {
  deadlock: { deniedByDefault: true, about: "tasks wait for each other in a cycle and can never proceed" },
  "lost-waker": { deniedByDefault: false, about: "a task is idle and nobody holds its waker" },
  "self-wakes": { deniedByDefault: false, about: "a task woke itself more than half the time" },
  "never-yielded": { deniedByDefault: false, about: "a task has been running for over a second without yielding" },
};

export const docsLink = (id: string) => `docs/problems/${id}.md`;

const HOLDER_ROLES = new Set(["holder", "permit"]);

function holdersOf(model: CheckModel, resourceId: bigint): bigint[] {
  const resource = model.resources.get(resourceId);
  const owners = resource?.attributes.get("insight.owners");
  if (typeof owners === "string") {
    const byTaskId = new Map([...model.tasks.values()].map((t) => [t.taskId, t.spanId]));
    return owners
      .split(",")
      .map((pair) => pair.split(":"))
      .filter(([role, id]) => HOLDER_ROLES.has(role ?? "") && id !== undefined && byTaskId.has(id))
      .map(([, id]) => byTaskId.get(id!)!);
  }
  if (resource && resource.attributes.get("locked") === false) return [];
  const holders: bigint[] = [];
  for (const [rid, op] of model.lastReadyByResource) {
    if (model.rootResource(rid) === resourceId && op.taskSpanId !== undefined) holders.push(op.taskSpanId);
  }
  return holders;
}

export function findDeadlocks(model: CheckModel): Problem[] {
  // waiter task -> [{ holder task, resource, op }]
  const edges = new Map<bigint, { holder: bigint; resource: bigint; op: bigint }[]>();
  for (const op of model.asyncOps.values()) {
    if (op.dropped || op.taskSpanId === undefined || op.resourceId === undefined) continue;
    if (op.lastPollReady !== false || op.attributes.has("insight.woken_by")) continue;
    const task = model.tasks.get(op.taskSpanId);
    if (!task || task.droppedNs !== undefined) continue;
    const resource = model.rootResource(op.resourceId);
    for (const holder of holdersOf(model, resource)) {
      if (holder === op.taskSpanId) continue;
      const list = edges.get(op.taskSpanId) ?? [];
      if (!list.some((e) => e.holder === holder && e.resource === resource)) list.push({ holder, resource, op: op.id });
      edges.set(op.taskSpanId, list);
    }
  }
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const visit = (start: bigint, current: bigint, path: { task: bigint; resource: bigint; op: bigint }[]) => {
    for (const edge of edges.get(current) ?? []) {
      const step = [...path, { task: current, resource: edge.resource, op: edge.op }];
      if (edge.holder === start) {
        const key = step
          .map((s) => s.task)
          .sort()
          .join(",");
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(describeCycle(model, step));
        }
      } else if (edge.holder > start && !path.some((s) => s.task === edge.holder) && step.length < 32) {
        visit(start, edge.holder, step);
      }
    }
  };
  for (const start of edges.keys()) visit(start, start, []);
  return problems;
}

function describeCycle(model: CheckModel, steps: { task: bigint; resource: bigint; op: bigint }[]): Problem {
  const locations: ProblemLocation[] = [];
  steps.forEach((s, i) => {
    const next = steps[(i + 1) % steps.length]!;
    const resource = model.resources.get(s.resource);
    const op = model.asyncOps.get(s.op);
    const name = resource?.attributes.get("insight.name");
    const label = `${resource?.concreteType ?? "resource"}${typeof name === "string" ? ` "${name}"` : ""}`;
    locations.push({ what: `${model.taskLabel(s.task)} waits in ${op?.source ?? "an async op"} for ${label}, held by ${model.taskLabel(next.task)}`, where: userLocation(op?.location, model.tasks.get(s.task)?.location) });
    locations.push({ what: `${label} created`, where: resource?.location ?? "" });
  });
  return {
    id: "deadlock",
    summary: `deadlock: ${steps.length} tasks wait for each other in a cycle (${steps.map((s) => model.taskLabel(s.task)).join(" → ")} → back)`,
    locations,
    docs: docsLink("deadlock"),
  };
}

/** Prefer a location in the user's code over one inside a dependency's sources. */
function userLocation(...candidates: (string | undefined)[]): string {
  const known = candidates.filter((c): c is string => !!c);
  return known.find((c) => !/[\\/](\.cargo[\\/]registry|node_modules)[\\/]/.test(c)) ?? known[0] ?? "";
}

export function findLintProblems(model: CheckModel): Problem[] {
  const out: Problem[] = [];
  const now = model.nowNs;
  for (const t of model.tasks.values()) {
    if (t.kind === "blocking" || t.kind === "block_on") continue;
    const where = [{ what: model.taskLabel(t.spanId), where: t.location }];
    const completed = t.droppedNs !== undefined;
    const running = t.lastPollStartedNs !== undefined && (t.lastPollEndedNs === undefined || t.lastPollStartedNs > t.lastPollEndedNs);
    const woken = t.lastWakeNs !== undefined && t.lastPollStartedNs !== undefined && t.lastWakeNs > t.lastPollStartedNs;
    if (!completed && t.clones - t.drops <= 0n && !running && t.polls > 0n && !woken) {
      out.push({ id: "lost-waker", summary: `lost-waker: ${model.taskLabel(t.spanId)} is idle and nothing holds its waker; it will never be woken`, locations: where, docs: docsLink("lost-waker") });
    }
    if (t.wakes > 0n && (t.selfWakes * 100n) / t.wakes > 50n) {
      out.push({ id: "self-wakes", summary: `self-wakes: ${model.taskLabel(t.spanId)} woke itself ${t.selfWakes} of ${t.wakes} times`, locations: where, docs: docsLink("self-wakes") });
    }
    if (running && t.polls <= 1n && now !== undefined && now - t.lastPollStartedNs! >= 1_000_000_000n) {
      out.push({ id: "never-yielded", summary: `never-yielded: ${model.taskLabel(t.spanId)} has run for over 1s without yielding`, locations: where, docs: docsLink("never-yielded") });
    }
  }
  return out;
}

export function findProblems(model: CheckModel): Problem[] {
  return [...findDeadlocks(model), ...findLintProblems(model)];
}
