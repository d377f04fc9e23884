/**
 * Merging consecutive `Update`s into one, as a subscriber would have sent
 * them had its publish interval been longer. Stats maps are snapshots, so the
 * later entry wins; new entities and poll ops concatenate; dropped counts
 * add. Replay readers use it to batch; tests use it to check that batching
 * does not change what the store concludes.
 */
import type { RegisterMetadata, Update, asyncOps, resources, tasks } from "@async-insight/protocol";

// Messages are built as plain objects (protobuf-es v2 messages are plain
// objects tagged with $typeName) so the engine needs no dependency beyond
// @async-insight/protocol.

export function mergeUpdates(updates: readonly Update[]): Update {
  const last = updates[updates.length - 1];
  const newMetadata: RegisterMetadata = {
    $typeName: "rs.tokio.console.common.RegisterMetadata",
    metadata: updates.flatMap((u) => u.newMetadata?.metadata ?? []),
  };
  const taskUpdate: tasks.TaskUpdate = {
    $typeName: "rs.tokio.console.tasks.TaskUpdate",
    newTasks: updates.flatMap((u) => u.taskUpdate?.newTasks ?? []),
    statsUpdate: Object.assign({}, ...updates.map((u) => u.taskUpdate?.statsUpdate ?? {})),
    droppedEvents: updates.reduce((n, u) => n + (u.taskUpdate?.droppedEvents ?? 0n), 0n),
  };
  const resourceUpdate: resources.ResourceUpdate = {
    $typeName: "rs.tokio.console.resources.ResourceUpdate",
    newResources: updates.flatMap((u) => u.resourceUpdate?.newResources ?? []),
    statsUpdate: Object.assign({}, ...updates.map((u) => u.resourceUpdate?.statsUpdate ?? {})),
    newPollOps: updates.flatMap((u) => u.resourceUpdate?.newPollOps ?? []),
    droppedEvents: updates.reduce((n, u) => n + (u.resourceUpdate?.droppedEvents ?? 0n), 0n),
  };
  const asyncOpUpdate: asyncOps.AsyncOpUpdate = {
    $typeName: "rs.tokio.console.async_ops.AsyncOpUpdate",
    newAsyncOps: updates.flatMap((u) => u.asyncOpUpdate?.newAsyncOps ?? []),
    statsUpdate: Object.assign({}, ...updates.map((u) => u.asyncOpUpdate?.statsUpdate ?? {})),
    droppedEvents: updates.reduce((n, u) => n + (u.asyncOpUpdate?.droppedEvents ?? 0n), 0n),
  };
  return { $typeName: "rs.tokio.console.instrument.Update", now: last?.now, newMetadata, taskUpdate, resourceUpdate, asyncOpUpdate };
}
