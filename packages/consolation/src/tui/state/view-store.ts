/**
 * The store the terminal views read: the app feeds it protocol messages and
 * draws each frame from its view model. (Not the library's
 * `RuntimeInstrumentSource`, which produces those messages in the target.)
 */
import type { Update, tasks } from "@async-insight/protocol";
import type { RuntimeView } from "./view-model.js";

export interface ViewStore {
  applyUpdate(update: Update): void;
  applyTaskDetails?(details: tasks.TaskDetails): void;
  /** Forget everything: the target restarted, or a replay seeked backwards. */
  reset(): void;
  /** created_at (ns since the epoch) of the task a span id (decimal) names, while the store holds it. */
  taskCreatedAt(spanId: string): bigint | undefined;
  /** A view of the current state; cheap to call once per frame. */
  view(): RuntimeView;
}
