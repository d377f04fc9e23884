/**
 * Words both consoles (terminal and web) use for what the engine holds:
 * task labels, the fields worth a column, who woke a task, and whether a
 * location is the user's code or the runtime's.
 */
import { formatFieldValue, type AttributeEntry, type RuntimeStore, type TaskRecord } from "@async-insight/engine";

/** Fields the task row already shows in its own columns. */
const SHOWN_ELSEWHERE = new Set(["task.name", "task.id", "kind", "spawn.location", "loc.file", "loc.line", "loc.col"]);

/** "task 4 worker", or "task 4" for an unnamed task (the engine's graph views label a task by its name alone). */
export function taskIdAndName(task: Pick<TaskRecord, "id" | "name">): string {
  return task.name ? `task ${task.id} ${task.name}` : `task ${task.id}`;
}

/** A task's label by id, or just its id once the store has let it go. */
export function taskIdAndNameById(store: RuntimeStore, id: bigint): string {
  const task = store.task(id);
  return task ? taskIdAndName(task) : `task ${id}`;
}

export function fieldPairs(task: TaskRecord): Array<[string, string]> {
  return task.fields.filter((f) => !SHOWN_ELSEWHERE.has(f.name)).map((f) => [f.name, formatFieldValue(f.value)]);
}

export function attributePairs(attributes: readonly AttributeEntry[]): Array<[string, string]> {
  return attributes.map((a) => [a.name, `${formatFieldValue(a.value)}${a.unit ?? ""}`]);
}

/** `k=v k=v`, leaving out insight's own bookkeeping attributes. */
export function pairsText(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs
    .filter(([k]) => !k.startsWith("insight."))
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
}

/** Locations inside a runtime or its dependencies, rather than in the user's code. */
const RUNTIME_INTERNAL = /[\\/]\.cargo[\\/]registry[\\/]|[\\/]tokio-\d[^\\/]*[\\/]|^<cargo>[\\/]tokio-|^node:internal|[\\/]node_modules[\\/]/;

export function isRuntimeInternal(location: string | undefined): boolean {
  return location !== undefined && RUNTIME_INTERNAL.test(location);
}

export const OUTSIDE_THE_RUNTIME = "outside the runtime (I/O, a timer, another thread)";

/** The task that woke this one most recently, in words, when the target says. */
export function wokenByText(store: RuntimeStore, task: TaskRecord): string | undefined {
  const edges = store.wokenBy(task.id);
  if (edges.length === 0) return undefined;
  const latest = edges.reduce((a, b) => ((b.lastAt ?? 0n) > (a.lastAt ?? 0n) ? b : a));
  return latest.waker === 0n ? OUTSIDE_THE_RUNTIME : taskIdAndNameById(store, latest.waker);
}
