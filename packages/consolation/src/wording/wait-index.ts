/**
 * Every current wait in an engine store, by task and by resource, gathered
 * once per snapshot or frame: asking the store per resource would scan all
 * waits for each one.
 */
import type { RuntimeStore, TaskRecord, Wait } from "@async-insight/engine";

export class WaitIndex {
  readonly byTask = new Map<bigint, Wait[]>();
  readonly byResource = new Map<bigint, Wait[]>();

  constructor(store: RuntimeStore, tasks: readonly TaskRecord[] = store.tasks()) {
    for (const task of tasks) {
      if (task.state === "completed") continue;
      const waits = store.waitsOf(task.id);
      if (waits.length === 0) continue;
      this.byTask.set(task.id, waits);
      for (const wait of waits) {
        if (!wait.resource) continue;
        const list = this.byResource.get(wait.resource.id);
        if (list) list.push(wait);
        else this.byResource.set(wait.resource.id, [wait]);
      }
    }
  }

  waitsOf(task: bigint): readonly Wait[] {
    return this.byTask.get(task) ?? [];
  }

  waitersOf(resource: bigint): readonly Wait[] {
    return this.byResource.get(resource) ?? [];
  }
}
