/**
 * A client for the console protocol's Instrument service, over real HTTP/2
 * via Connect's gRPC transport.
 *
 * Unlike tonic's default, the message limit is large (256 MiB) and
 * configurable: a busy runtime's first snapshot can be far past 4 MiB, and a
 * console that refuses it shows nothing at all.
 *
 * Updates arrive as lazy Updates (lazy-update.ts), read by update-stream.ts
 * into a reused buffer: the console holds an update at its wire size and
 * decodes it element by element while applying it. All calls share one
 * HTTP/2 connection.
 */
import { createClient, type Client } from "@connectrpc/connect";
import type { UniversalClientFn } from "@connectrpc/connect/protocol";
import { createGrpcTransport, createNodeHttpClient, Http2SessionManager } from "@connectrpc/connect-node";
import { create } from "@bufbuild/protobuf";
import { IdSchema, Instrument, type State, type tasks, type Update } from "@async-insight/protocol";
import { formatTarget } from "./target.js";
import { tokenFor } from "./target-token.js";
import { readUpdates } from "./update-stream.js";

export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface ConsoleClientOptions {
  /** Largest message accepted from the target. */
  readonly maxMessageBytes?: number;
  /** Sent as gRPC metadata `authorization: Bearer <token>`. Default: the one attached to the target (attachToken). */
  readonly token?: string;
}

export class ConsoleClient {
  readonly target: URL;
  readonly #client: Client<typeof Instrument>;
  readonly #http: UniversalClientFn;
  readonly #maxMessageBytes: number;
  readonly #authorization: string | undefined;

  constructor(target: URL, options: ConsoleClientOptions = {}) {
    this.target = target;
    const baseUrl = formatTarget(target);
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    // A stalled target should surface as a broken stream, not hang forever.
    const sessionManager = new Http2SessionManager(baseUrl, { pingIntervalMs: 10_000, pingTimeoutMs: 10_000 });
    const token = options.token ?? tokenFor(target);
    this.#authorization = token ? `Bearer ${token}` : undefined;
    const authorization = this.#authorization;
    const transport = createGrpcTransport({
      baseUrl,
      readMaxBytes: this.#maxMessageBytes,
      sessionManager,
      interceptors: authorization
        ? [
            (next) => (request) => {
              request.header.set("authorization", authorization);
              return next(request);
            },
          ]
        : [],
    });
    this.#client = createClient(Instrument, transport);
    this.#http = createNodeHttpClient({ httpVersion: "2", sessionProvider: () => sessionManager });
  }

  get label(): string {
    return formatTarget(this.target);
  }

  watchUpdates(signal: AbortSignal): AsyncIterable<Update> {
    const url = `${formatTarget(this.target)}/${Instrument.typeName}/${Instrument.method.watchUpdates.name}`;
    return readUpdates(this.#http, url, signal, this.#maxMessageBytes, this.#authorization);
  }

  watchState(signal: AbortSignal): AsyncIterable<State> {
    return this.#client.watchState({}, { signal });
  }

  /** Details of one task; `taskId` is the protocol id (a span id on tokio). */
  watchTaskDetails(taskId: bigint, signal: AbortSignal): AsyncIterable<tasks.TaskDetails> {
    return this.#client.watchTaskDetails({ id: create(IdSchema, { id: taskId }) }, { signal });
  }

  async pause(signal?: AbortSignal): Promise<void> {
    await this.#client.pause({}, signal ? { signal } : {});
  }

  async resume(signal?: AbortSignal): Promise<void> {
    await this.#client.resume({}, signal ? { signal } : {});
  }
}
