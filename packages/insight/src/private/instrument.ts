/**
 * The small surface primitives use to report themselves. Every function is a
 * no-op costing one variable read while insight is off.
 */
import type { Describable, LiveResource, LiveTask } from "./records.js";
import { runtime } from "./runtime.js";
import { currentLiveTask } from "./task-context.js";

/** A resource record for a new primitive, or undefined when insight is off. */
export function instrument(target: Describable, concreteType: string, name: string | undefined, below: Function, timer = false): LiveResource | undefined {
  const rt = runtime;
  if (rt === undefined) return undefined;
  try {
    return rt.createResource(concreteType, timer, name, target, below);
  } catch {
    return undefined;
  }
}

/** The primitive's state changed: include it in the next update. */
export function touch(resource: LiveResource | undefined): void {
  if (resource !== undefined) runtime?.markResource(resource);
}

/** The primitive is gone for good (closed channel with no receiver, elapsed sleep). */
export function drop(resource: LiveResource | undefined): void {
  if (resource !== undefined) runtime?.dropResource(resource);
}

/** The current task, looked up only for instrumented primitives. */
export function taskIf(resource: LiveResource | undefined): LiveTask | undefined {
  return resource === undefined ? undefined : currentLiveTask();
}

/** `role:taskId` pairs as docs/wire-conventions.md defines `insight.owners`. */
export function owners(pairs: Iterable<readonly [string, LiveTask | undefined]>): string {
  const out: string[] = [];
  for (const [role, task] of pairs) if (task) out.push(`${role}:${task.taskId}`);
  return out.join(",");
}

export function holderText(task: LiveTask | undefined): string {
  return task ? `task ${task.taskId}` : "code outside any task";
}
