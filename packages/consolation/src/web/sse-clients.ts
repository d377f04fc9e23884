/**
 * The open Server-Sent-Events streams. Each page gets the current snapshot
 * at once, then every snapshot the feed publishes. A page that cannot keep up
 * is not queued for: a socket whose buffer is still full gets the next
 * snapshot instead, since only the newest state matters.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { boundedJsonReplacer } from "@async-insight/engine";
import type { WebFeed } from "./web-feed.js";
import type { WebSnapshot } from "@async-insight/web-contract";

/** How soon EventSource retries after the stream drops (the server restarted, say). */
const RETRY_MS = 1000;

export function snapshotEvent(snapshot: WebSnapshot): string {
  // JSON.stringify never emits a raw newline, so one data: line holds the whole event. Every string is
  // bounded (FULL_TEXT_LIMIT): a 1 MB task name, copied into the row, the graph and the problems, must not make a 21 MB event.
  return `id: ${snapshot.seq}\nevent: snapshot\ndata: ${JSON.stringify(snapshot, boundedJsonReplacer)}\n\n`;
}

export class SseClients {
  readonly #clients = new Set<ServerResponse>();
  readonly #behind = new Set<ServerResponse>();
  readonly #feed: WebFeed;
  readonly #heartbeatMs: number;
  #unsubscribe: (() => void) | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(feed: WebFeed, heartbeatMs: number) {
    this.#feed = feed;
    this.#heartbeatMs = heartbeatMs;
  }

  get size(): number {
    return this.#clients.size;
  }

  add(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.#clients.add(res);
    req.on("close", () => this.#remove(res));
    res.write(snapshotEvent(this.#feed.snapshot()));
    if (!this.#unsubscribe) this.#unsubscribe = this.#feed.subscribe((snapshot) => this.#broadcast(snapshot));
    this.#heartbeat ??= setInterval(() => {
      for (const client of this.#clients) client.write(": keep-alive\n\n");
    }, this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  closeAll(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    this.#stopIfIdle();
  }

  #broadcast(snapshot: WebSnapshot): void {
    let event: string | undefined;
    for (const client of this.#clients) {
      if (client.writableNeedDrain) {
        // Catch up with whatever is newest once the socket drains, not with every missed one.
        if (!this.#behind.has(client)) {
          this.#behind.add(client);
          client.once("drain", () => {
            this.#behind.delete(client);
            if (this.#clients.has(client)) client.write(snapshotEvent(this.#feed.snapshot()));
          });
        }
        continue;
      }
      event ??= snapshotEvent(snapshot);
      client.write(event);
    }
  }

  #remove(res: ServerResponse): void {
    this.#clients.delete(res);
    this.#stopIfIdle();
  }

  #stopIfIdle(): void {
    if (this.#clients.size > 0) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
