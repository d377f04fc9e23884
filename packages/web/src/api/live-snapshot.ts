/**
 * Subscribes to the server's snapshot stream. EventSource reconnects on its
 * own (the server sets `retry:`), so when `consolation web` restarts the page
 * picks up again; meanwhile it reports the stream as down.
 */
import type { WebSnapshot } from "./types.ts";

export type StreamStatus = "connecting" | "open" | "down";

export interface LiveSnapshotHandlers {
  onSnapshot(snapshot: WebSnapshot): void;
  onStatus(status: StreamStatus): void;
}

export function subscribeSnapshots(handlers: LiveSnapshotHandlers): () => void {
  const source = new EventSource("/api/events");
  handlers.onStatus("connecting");
  source.addEventListener("open", () => handlers.onStatus("open"));
  source.addEventListener("error", () => handlers.onStatus(source.readyState === EventSource.CLOSED ? "down" : "connecting"));
  source.addEventListener("snapshot", (event) => {
    try {
      handlers.onSnapshot(JSON.parse((event as MessageEvent<string>).data) as WebSnapshot);
    } catch {
      // A torn message is replaced by the next snapshot; nothing to repair.
    }
  });
  return () => source.close();
}
