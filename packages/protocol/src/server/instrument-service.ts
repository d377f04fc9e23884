/**
 * The `Instrument` service of the console protocol, served from any
 * `InstrumentSource`: the insight library's aggregator, a replayed recording,
 * or a fixture in tests.
 */
import { create } from "@bufbuild/protobuf";
import {
  InstrumentRequestSchema,
  PauseRequestSchema,
  PauseResponseSchema,
  ResumeRequestSchema,
  ResumeResponseSchema,
  StateRequestSchema,
  StateSchema,
  TaskDetailsRequestSchema,
  UpdateSchema,
  type State,
  type Update,
} from "../gen/console/instrument_pb.js";
import { TaskDetailsSchema, type TaskDetails } from "../gen/console/tasks_pb.js";
import { GrpcError, GrpcStatus } from "../private/grpc-status.js";
import { GrpcServer, type GrpcServerOptions, type ListenAddress } from "./grpc-server.js";
import { DEFAULT_CLIENT_LIMIT_BYTES, splitUpdate } from "./split-update.js";

export const INSTRUMENT_SERVICE = "/rs.tokio.console.instrument.Instrument";

/** What a console server needs from the thing it observes. */
export interface InstrumentSource {
  /** A full snapshot first, then deltas, until `signal` aborts. */
  watchUpdates(signal: AbortSignal): AsyncIterable<Update>;
  /**
   * Details of one task until `signal` aborts. Throw
   * `GrpcError(NOT_FOUND, ...)` for an unknown task.
   */
  watchTaskDetails(taskId: bigint, signal: AbortSignal): AsyncIterable<TaskDetails>;
  /** The current state first, then every change. */
  watchState(signal: AbortSignal): AsyncIterable<State>;
  pause(): void | Promise<void>;
  resume(): void | Promise<void>;
}

export interface InstrumentServerOptions extends GrpcServerOptions {
  /**
   * Largest `Update` sent in one message. Larger ones are split. Defaults to
   * tonic's 4 MiB limit so unmodified tokio-console clients keep working.
   */
  readonly maxUpdateBytes?: number;
  /**
   * Streams of each watch method (WatchUpdates, WatchState, WatchTaskDetails)
   * open at once; one more gets RESOURCE_EXHAUSTED. A console uses one
   * WatchUpdates stream. Default 8.
   */
  readonly maxStreams?: number;
  /** Appended to the refusal, e.g. how to raise the limit. */
  readonly maxStreamsHint?: string;
}

export const DEFAULT_MAX_STREAMS = 8;

export function registerInstrumentService(server: GrpcServer, source: InstrumentSource, options: InstrumentServerOptions = {}): GrpcServer {
  const maxUpdateBytes = options.maxUpdateBytes ?? DEFAULT_CLIENT_LIMIT_BYTES;
  const max = options.maxStreams ?? DEFAULT_MAX_STREAMS;
  const limit = (method: string) => ({
    max,
    message: `too many consoles: this server allows ${max} open ${method} streams at once${options.maxStreamsHint ? ` (${options.maxStreamsHint})` : ""}`,
  });
  return server
    .serverStream(
      `${INSTRUMENT_SERVICE}/WatchUpdates`,
      InstrumentRequestSchema,
      UpdateSchema,
      async function* (_, ctx) {
        for await (const update of source.watchUpdates(ctx.signal)) {
          yield* splitUpdate(update, maxUpdateBytes);
        }
      },
      limit("WatchUpdates"),
    )
    .serverStream(
      `${INSTRUMENT_SERVICE}/WatchTaskDetails`,
      TaskDetailsRequestSchema,
      TaskDetailsSchema,
      (request, ctx) => {
        const id = request.id?.id ?? 0n;
        if (id === 0n) throw new GrpcError(GrpcStatus.INVALID_ARGUMENT, "a task id is required");
        return source.watchTaskDetails(id, ctx.signal);
      },
      limit("WatchTaskDetails"),
    )
    .serverStream(`${INSTRUMENT_SERVICE}/WatchState`, StateRequestSchema, StateSchema, (_, ctx) => source.watchState(ctx.signal), limit("WatchState"))
    .unary(`${INSTRUMENT_SERVICE}/Pause`, PauseRequestSchema, PauseResponseSchema, async () => {
      await source.pause();
      return create(PauseResponseSchema);
    })
    .unary(`${INSTRUMENT_SERVICE}/Resume`, ResumeRequestSchema, ResumeResponseSchema, async () => {
      await source.resume();
      return create(ResumeResponseSchema);
    });
}

export interface RunningInstrumentServer {
  readonly address: ListenAddress;
  readonly server: GrpcServer;
  close(): Promise<void>;
}

/** Starts a console server on `host:port` (port 0 picks a free one). */
export async function startInstrumentServer(
  source: InstrumentSource,
  listen: { port: number; host?: string },
  options: InstrumentServerOptions = {},
): Promise<RunningInstrumentServer> {
  const server = registerInstrumentService(new GrpcServer(options), source, options);
  const address = await server.listen(listen.port, listen.host ?? "127.0.0.1");
  return { address, server, close: () => server.close() };
}

export { TaskDetailsSchema };
export type { TaskDetails, Update, State };
