/**
 * Keeps one WatchTaskDetails stream open for the task on screen, and only
 * that one: tokio-console opens it with the view and drops it on leave, since
 * the target pays for every open details stream.
 */
import type { ConsoleClient } from "@async-insight/client";
import type { tasks } from "@async-insight/protocol";

export class TaskDetailsFeed {
  #watching: bigint | undefined;
  #abort: AbortController | undefined;
  readonly #client: ConsoleClient;
  readonly #onDetails: (details: tasks.TaskDetails) => void;

  constructor(client: ConsoleClient, onDetails: (details: tasks.TaskDetails) => void) {
    this.#client = client;
    this.#onDetails = onDetails;
  }

  /** Watches `protocolId`, or nothing when undefined; a no-op when already watching it. */
  follow(protocolId: bigint | undefined): void {
    if (protocolId === this.#watching) return;
    this.stop();
    if (protocolId === undefined) return;
    this.#watching = protocolId;
    const abort = new AbortController();
    this.#abort = abort;
    void (async () => {
      try {
        for await (const details of this.#client.watchTaskDetails(protocolId, abort.signal)) this.#onDetails(details);
      } catch {
        // A task that completed, or a target without details, just leaves the histograms empty.
      }
    })();
  }

  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#watching = undefined;
  }
}
