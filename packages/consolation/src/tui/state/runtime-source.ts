/** What the live app needs from a store: feed it protocol messages, read it through the view model. */
import type { Update, tasks } from "@async-insight/protocol";
import type { RuntimeView } from "./view-model.js";

export interface RuntimeSource {
  applyUpdate(update: Update): void;
  applyTaskDetails?(details: tasks.TaskDetails): void;
  /** Forget everything: the target restarted, or a replay seeked backwards. */
  reset(): void;
  /** created_at (ns since the epoch) of the task a span id (decimal) names, while the store holds it. */
  taskCreatedAt(spanId: string): bigint | undefined;
  /** A view of the current state; cheap to call once per frame. */
  view(): RuntimeView;
}
