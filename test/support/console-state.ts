/**
 * Merges a stream of `Update`s into the current picture a console would show:
 * entities by id, each with its latest stats, and metadata for resolving
 * field names. Deliberately simple (nothing is ever evicted) so tests can ask
 * "has X arrived yet?" of a live target without depending on the engine.
 */
import { fieldName, fieldValue, type FieldValue, type Field, type Metadata, type Update } from "@async-insight/protocol";
import type { asyncOps, resources, tasks } from "@async-insight/protocol";

export class ConsoleState {
  readonly metadata = new Map<bigint, Metadata>();
  readonly tasks = new Map<bigint, tasks.Task>();
  readonly taskStats = new Map<bigint, tasks.Stats>();
  readonly resources = new Map<bigint, resources.Resource>();
  readonly resourceStats = new Map<bigint, resources.Stats>();
  readonly asyncOps = new Map<bigint, asyncOps.AsyncOp>();
  readonly asyncOpStats = new Map<bigint, asyncOps.Stats>();
  readonly pollOps: resources.PollOp[] = [];
  updates = 0;
  /** Events the target's subscriber dropped, per kind, summed over updates. */
  readonly dropped = { tasks: 0n, resources: 0n, asyncOps: 0n };

  apply(update: Update): void {
    this.updates += 1;
    this.dropped.tasks += update.taskUpdate?.droppedEvents ?? 0n;
    this.dropped.resources += update.resourceUpdate?.droppedEvents ?? 0n;
    this.dropped.asyncOps += update.asyncOpUpdate?.droppedEvents ?? 0n;
    for (const entry of update.newMetadata?.metadata ?? []) {
      if (entry.id && entry.metadata) this.metadata.set(entry.id.id, entry.metadata);
    }
    for (const task of update.taskUpdate?.newTasks ?? []) if (task.id) this.tasks.set(task.id.id, task);
    for (const [id, stats] of Object.entries(update.taskUpdate?.statsUpdate ?? {})) this.taskStats.set(BigInt(id), stats);
    for (const resource of update.resourceUpdate?.newResources ?? []) if (resource.id) this.resources.set(resource.id.id, resource);
    for (const [id, stats] of Object.entries(update.resourceUpdate?.statsUpdate ?? {})) this.resourceStats.set(BigInt(id), stats);
    this.pollOps.push(...(update.resourceUpdate?.newPollOps ?? []));
    for (const op of update.asyncOpUpdate?.newAsyncOps ?? []) if (op.id) this.asyncOps.set(op.id.id, op);
    for (const [id, stats] of Object.entries(update.asyncOpUpdate?.statsUpdate ?? {})) this.asyncOpStats.set(BigInt(id), stats);
  }

  /** A field's name, resolving `name_idx` through the metadata it points at. */
  fieldName(field: Field, fallbackMetadata?: bigint): string | undefined {
    const metaId = field.metadataId?.id ?? fallbackMetadata;
    return fieldName(field, metaId === undefined ? undefined : this.metadata.get(metaId));
  }

  /** The task's `task.name` field, if it has one. */
  taskName(task: tasks.Task): string | undefined {
    for (const field of task.fields) {
      if (this.fieldName(field, task.metadata?.id) === "task.name") {
        const value = fieldValue(field);
        return value === undefined ? undefined : String(value);
      }
    }
    return undefined;
  }

  /** Tasks by name; a name used twice keeps the last task seen. */
  tasksByName(): Map<string, tasks.Task> {
    const out = new Map<string, tasks.Task>();
    for (const task of this.tasks.values()) {
      const name = this.taskName(task);
      if (name !== undefined) out.set(name, task);
    }
    return out;
  }

  /** The latest value of a resource's attribute, by name. */
  resourceAttribute(resourceId: bigint, name: string): FieldValue | undefined {
    const resource = this.resources.get(resourceId);
    for (const attribute of this.resourceStats.get(resourceId)?.attributes ?? []) {
      if (attribute.field && this.fieldName(attribute.field, resource?.metadata?.id) === name) return fieldValue(attribute.field);
    }
    return undefined;
  }

  /** One line per entity kind, for failure messages. */
  summary(): string {
    const names = [...this.tasksByName().keys()].sort().join(", ");
    const types = [...new Set([...this.resources.values()].map((r) => r.concreteType))].sort().join(", ");
    const ops = [...this.asyncOps.values()].map((op) => `${op.source}→${op.resourceId?.id}@task ${this.asyncOpStats.get(op.id!.id)?.taskId?.id}`);
    const mutexes = [...this.resources.values()]
      .filter((r) => r.concreteType === "Mutex")
      .map((r) => {
        const attributes = (this.resourceStats.get(r.id!.id)?.attributes ?? []).map(
          (a) => `${a.field ? this.fieldName(a.field, r.metadata?.id) : "?"}=${a.field ? String(fieldValue(a.field)) : "?"}`,
        );
        return `${r.id?.id}@${r.location?.line}{${attributes.join(",")}}`;
      });
    return [
      `${this.updates} updates, ${this.metadata.size} metadata, dropped events: tasks ${this.dropped.tasks}, resources ${this.dropped.resources}, async ops ${this.dropped.asyncOps}`,
      `mutexes: ${mutexes.join(" ")}`,
      `tasks (${this.tasks.size}): ${names}`,
      `resource types (${this.resources.size}): ${types}`,
      `async ops (${this.asyncOps.size}): ${ops.slice(0, 30).join("; ")}`,
    ].join("\n");
  }
}
