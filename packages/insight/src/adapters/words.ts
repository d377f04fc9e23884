/** The words of library waits (adapters/kit.ts): units in use, and the tasks holding them. */
import type { LiveTask } from "../private/records.js";
import type { LibraryState, UnitHolders } from "./library-state.js";

/** Task ids, comma-separated, for reasons: "4, 7". */
export function taskList(tasks: Iterable<LiveTask | undefined>): string {
  const ids: number[] = [];
  for (const task of tasks) if (task !== undefined) ids.push(task.taskId);
  return ids.join(", ");
}

/**
 * Tasks holding units, each named once in order of first appearance, with
 * its count when it holds more than one: "tasks 4, 7", "task 2 (2
 * connections)", "tasks 2 (3 connections), 5". `units` is the plural noun.
 */
export function tasksText(tasks: readonly LiveTask[], units: string): string {
  const counts = new Map<number, number>();
  for (const task of tasks) counts.set(task.taskId, (counts.get(task.taskId) ?? 0) + 1);
  const parts: string[] = [];
  for (const [id, n] of counts) parts.push(n > 1 ? `${id} (${n} ${units})` : `${id}`);
  return `task${counts.size === 1 ? "" : "s"} ${parts.join(", ")}`;
}

function ofText(resource: UnitHolders, state: LibraryState): string {
  const inUse = state.inUse ?? resource.heldUnits;
  return state.capacity !== undefined && Number.isFinite(state.capacity) ? `${inUse}/${state.capacity}` : `${inUse}`;
}

/**
 * "2/2 checked out by tasks 4, 7": units in use out of capacity, and the
 * tasks known to hold them (certain holders only). `verb` is what holding
 * means for the library ("checked out", "running"). Units lent to one
 * operation (pg's pool.query()) are said apart, as freed by that operation:
 * "2/2 checked out; 2 by pool.query() calls of task 5 (2 connections), freed
 * when they end".
 */
export function usageText(resource: UnitHolders, state: LibraryState, verb: string, units = "connections"): string {
  const tasks = resource.holderTasks();
  const known = tasks.filter((t) => t !== undefined);
  const outside = tasks.length - known.length;
  const by: string[] = [];
  if (known.length > 0) by.push(tasksText(known, units));
  if (outside > 0) by.push(`code outside any task`);
  let text = by.length > 0 ? `${ofText(resource, state)} ${verb} by ${by.join(" and ")}` : `${ofText(resource, state)} ${verb}`;
  for (const [operation, lent] of resource.operationTasks()) {
    const named = lent.filter((t) => t !== undefined);
    const whose = named.length > 0 ? ` of ${tasksText(named, units)}` : "";
    text += `; ${lent.length} by ${operation} call${lent.length === 1 ? "" : "s"}${whose}, freed when ${lent.length === 1 ? "it ends" : "they end"}`;
  }
  return text;
}

/**
 * "4/4 running (tasks 3, 5, 8, 9)": slots in use out of capacity, and the
 * tasks whose functions run in them; a task running in several is named once
 * with its count: "4/4 running: tasks 3 (3 slots), 5".
 */
export function runningText(resource: UnitHolders, state: LibraryState): string {
  const known = resource.holderTasks().filter((t) => t !== undefined);
  let text: string;
  if (known.length === 0) text = `${ofText(resource, state)} running`;
  else {
    const repeats = new Set(known.map((t) => t.taskId)).size < known.length;
    text = repeats ? `${ofText(resource, state)} running: ${tasksText(known, "slots")}` : `${ofText(resource, state)} running (${tasksText(known, "slots")})`;
  }
  return text + selfFreeingText(resource);
}

/**
 * Slots running a task's own work that frees itself (ResourceSpec.selfFreeing):
 * ", 2 of them calls of task 5 that free themselves".
 */
function selfFreeingText(resource: UnitHolders): string {
  let text = "";
  for (const [noun, tasks] of resource.operationTasks()) {
    const ids = [...new Set(tasks.filter((t) => t !== undefined).map((t) => t.taskId))];
    const whose = ids.length === 0 ? "" : ` of task${ids.length === 1 ? "" : "s"} ${ids.join(", ")}`;
    text += tasks.length === 1 ? `, 1 of them a ${noun}${whose} that frees itself` : `, ${tasks.length} of them ${noun}s${whose} that free themselves`;
  }
  return text;
}
