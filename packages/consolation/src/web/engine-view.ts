/**
 * Reads @async-insight/engine's RuntimeStore into the web snapshot's plain JSON:
 * task and resource rows, detail panes, and problems. Keys are the engine's
 * display ids (tokio's / insight's `task.id`), as decimal strings.
 */
import {
  capacityPairs,
  lintDefinition,
  runLints,
  taskActivity,
  type Freer,
  type ResourceRecord,
  type RuntimeStore,
  type TaskRecord,
  type Wait,
} from "@async-insight/engine";
import { attributePairs, fieldPairs, isRuntimeInternal, pairsText, taskIdAndNameById, wokenByText } from "../wording/task-text.js";
import type { WaitIndex } from "../wording/wait-index.js";
import { cycleBasisText } from "../wording/cycle-basis-text.js";
import type { TaskStateName, WebProblem, WebResourceDetail, WebResourceRow, WebTaskDetail, WebTaskRow, WebWait } from "@async-insight/web-contract";

export const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

/** The engine's word for the task's state (one vocabulary for every view). */
export function displayState(store: RuntimeStore, task: TaskRecord): TaskStateName {
  return taskActivity(store, task);
}

export function taskRow(store: RuntimeStore, task: TaskRecord, warnings = 0): WebTaskRow {
  return {
    key: String(task.id),
    id: String(task.id),
    name: task.name ?? "",
    kind: task.kind,
    state: displayState(store, task),
    location: task.location ?? "",
    fields: fieldPairs(task)
      .map(([k, v]) => `${k}=${v}`)
      .join(" "),
    totalMs: nsToMs(task.times.total),
    busyMs: nsToMs(task.times.busy),
    scheduledMs: nsToMs(task.times.scheduled),
    idleMs: nsToMs(task.times.idle),
    polls: Number(task.polls),
    warnings,
  };
}

function webWait(wait: Wait): WebWait {
  return {
    awaitInternal: isRuntimeInternal(wait.awaitLocation),
    resourceLocation: wait.resource?.location ?? null,
    resourceKey: wait.resource ? String(wait.resource.id) : null,
    resourceLabel: wait.resource?.label ?? "unknown resource",
    resourceType: wait.resource?.concreteType ?? "?",
    reason: wait.reason,
    awaitLocation: wait.awaitLocation ?? null,
    awaitSource: wait.awaitLine ?? null,
  };
}

export function taskDetail(store: RuntimeStore, id: bigint, warnings: readonly string[]): WebTaskDetail | undefined {
  const task = store.task(id);
  if (!task) return undefined;
  const parentId = task.parents[0];
  const now = store.now;
  const lastWake = task.wakers.lastWake;
  return {
    row: taskRow(store, task, warnings.length),
    fields: fieldPairs(task),
    parent: parentId !== undefined ? { key: String(parentId), label: taskIdAndNameById(store, parentId) } : null,
    waits: store.waitsOf(task.id).map(webWait),
    wakers: {
      clones: Number(task.wakers.clones),
      drops: Number(task.wakers.drops),
      wakes: Number(task.wakers.wakes),
      selfWakes: Number(task.wakers.selfWakes),
      wokenBy: wokenByText(store, task) ?? null,
      lastWokenAgoMs: lastWake !== undefined && now !== undefined && now >= lastWake ? nsToMs(now - lastWake) : null,
    },
    warnings,
  };
}

export function resourceRow(store: RuntimeStore, resource: ResourceRecord, waits?: WaitIndex): WebResourceRow {
  return {
    key: String(resource.id),
    id: String(resource.id),
    name: resource.name ?? "",
    type: resource.concreteType,
    kind: resource.kind,
    location: resource.location ?? "",
    // A library pool or limiter says what it is and how full (the detail lists every attribute).
    attributes: pairsText([...capacityPairs(resource), ...attributePairs(resource.attributes)]),
    internal: resource.visibility === "internal",
    dropped: resource.dropped,
    waitingCount: (waits ? waits.waitersOf(resource.id) : store.waitersOf(resource.id)).length,
  };
}

export function resourceDetail(store: RuntimeStore, id: bigint): WebResourceDetail | undefined {
  const resource = store.resource(id);
  if (!resource) return undefined;
  const label = (task: bigint) => taskIdAndNameById(store, task);
  return {
    row: resourceRow(store, resource),
    attributes: attributePairs(resource.attributes),
    waiting: store.waitersOf(resource.id).map((w) => ({ taskKey: String(w.task), taskLabel: label(w.task), reason: w.reason })),
    freers: store.freersOf(resource.id).map((f: Freer) => ({
      taskKey: String(f.task),
      taskLabel: label(f.task),
      role: f.count > 1 ? `${f.label} ×${f.count}` : f.label,
      certain: f.certainty === "certain",
      inferred: f.inferred,
    })),
    ...(resource.unreachable ? { unreachable: true } : {}),
  };
}

/** Every lint's findings, most severe first, with the lint's explanation for the panel. */
export function lintProblems(store: RuntimeStore): WebProblem[] {
  return runLints(store).map((problem) => ({
    lint: problem.lint,
    severity: problem.severity,
    summary: problem.message,
    explanation: lintDefinition(problem.lint)?.explanation ?? "",
    ...(problem.cycle ? { evidence: cycleBasisText(problem.cycle.basis) } : {}),
    docsPage: problem.docsPath,
    taskKeys: problem.tasks.map(String),
  }));
}
