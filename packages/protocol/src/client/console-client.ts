/**
 * A client for the console protocol's Instrument service, over real HTTP/2
 * via Connect's gRPC transport.
 *
 * Unlike tonic's default, the message limit is large (256 MiB) and
 * configurable: a busy runtime's first snapshot can be far past 4 MiB, and a
 * console that refuses it shows nothing at all.
 *
 * Updates arrive as lazy Updates (lazy-update.ts): WatchUpdates is the same
 * RPC, but its response is read as an UpdateFrame, which leaves each section
 * encoded, so the console holds an update at its wire size and decodes it
 * element by element while applying it.
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { create } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { Instrument, type InstrumentRequestSchema, type State, type Update } from "../gen/console/instrument_pb.js";
import { IdSchema } from "../gen/console/common_pb.js";
import type { TaskDetails } from "../gen/console/tasks_pb.js";
import { UpdateFrameSchema } from "../gen/insight/update_frame_pb.js";
import { lazyUpdate } from "../lazy-update.js";
import { formatTarget } from "./target.js";

type FramedUpdatesService = GenService<{
  watchUpdates: { methodKind: "server_streaming"; input: typeof InstrumentRequestSchema; output: typeof UpdateFrameSchema };
}>;

// Same service name and method, so the request path is unchanged; only the decoding differs.
const watchUpdatesFramed = { ...Instrument.method.watchUpdates, output: UpdateFrameSchema };
const FramedUpdates = { ...Instrument, methods: [watchUpdatesFramed], method: { watchUpdates: watchUpdatesFramed } } as unknown as FramedUpdatesService;

export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface ConsoleClientOptions {
  /** Largest message accepted from the target. */
  readonly maxMessageBytes?: number;
}

export class ConsoleClient {
  readonly target: URL;
  readonly #client: Client<typeof Instrument>;
  readonly #updates: Client<FramedUpdatesService>;

  constructor(target: URL, options: ConsoleClientOptions = {}) {
    this.target = target;
    const transport = createGrpcTransport({
      baseUrl: formatTarget(target),
      readMaxBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      // A stalled target should surface as a broken stream, not hang forever.
      pingIntervalMs: 10_000,
      pingTimeoutMs: 10_000,
    });
    this.#client = createClient(Instrument, transport);
    this.#updates = createClient(FramedUpdates, transport);
  }

  get label(): string {
    return formatTarget(this.target);
  }

  async *watchUpdates(signal: AbortSignal): AsyncIterable<Update> {
    for await (const frame of this.#updates.watchUpdates({}, { signal })) yield lazyUpdate(frame);
  }

  watchState(signal: AbortSignal): AsyncIterable<State> {
    return this.#client.watchState({}, { signal });
  }

  /** Details of one task; `taskId` is the protocol id (a span id on tokio). */
  watchTaskDetails(taskId: bigint, signal: AbortSignal): AsyncIterable<TaskDetails> {
    return this.#client.watchTaskDetails({ id: create(IdSchema, { id: taskId }) }, { signal });
  }

  async pause(signal?: AbortSignal): Promise<void> {
    await this.#client.pause({}, signal ? { signal } : {});
  }

  async resume(signal?: AbortSignal): Promise<void> {
    await this.#client.resume({}, signal ? { signal } : {});
  }
}
