/**
 * A client for the console protocol's Instrument service, over real HTTP/2
 * (node:http2), speaking gRPC itself: the console needs five calls of one
 * service, and a general RPC framework cost it ~8 MB of resident memory
 * and most of its install.
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
import { Instrument, type State, type tasks, type Update } from "@async-insight/protocol";
import { callOverChannel, type CallChunks } from "./private/grpc-call.js";
import { streamMessages, unaryCall, type MethodSchemas } from "./private/grpc-messages.js";
import { Http2Channel } from "./private/http2-channel.js";
import { formatTarget } from "./target.js";
import { tokenFor } from "./target-token.js";
import { readUpdates } from "./update-stream.js";

export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface ConsoleClientOptions {
  /** Largest message accepted from the target. */
  readonly maxMessageBytes?: number;
  /** Sent as gRPC metadata `authorization: Bearer <token>`. Default: the one attached to the target (attachToken). */
  readonly token?: string;
  /** While calls are open the connection is pinged this often (default 10 s)... */
  readonly pingIntervalMs?: number;
  /** ...and ended, failing every open call, when an answer takes longer than this (default 10 s). */
  readonly pingTimeoutMs?: number;
}

type Methods = typeof Instrument.method;

function schemas<K extends keyof Methods>(name: K): MethodSchemas<Methods[K]["input"], Methods[K]["output"]> {
  const method = Instrument.method[name];
  return { path: `/${Instrument.typeName}/${method.name}`, input: method.input, output: method.output };
}

const WATCH_STATE = schemas("watchState");
const WATCH_TASK_DETAILS = schemas("watchTaskDetails");
const PAUSE = schemas("pause");
const RESUME = schemas("resume");

export class ConsoleClient {
  readonly target: URL;
  readonly #call: CallChunks;
  readonly #maxMessageBytes: number;

  constructor(target: URL, options: ConsoleClientOptions = {}) {
    this.target = target;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const token = options.token ?? tokenFor(target);
    // A stalled target should surface as a broken stream, not hang forever.
    const channel = new Http2Channel(formatTarget(target), options);
    this.#call = callOverChannel(channel, { authorization: token ? `Bearer ${token}` : undefined });
  }

  get label(): string {
    return formatTarget(this.target);
  }

  watchUpdates(signal: AbortSignal): AsyncIterable<Update> {
    return readUpdates(this.#call, signal, this.#maxMessageBytes);
  }

  watchState(signal: AbortSignal): AsyncIterable<State> {
    return streamMessages(this.#call, WATCH_STATE, {}, signal, this.#maxMessageBytes);
  }

  /** Details of one task; `taskId` is the protocol id (a span id on tokio). */
  watchTaskDetails(taskId: bigint, signal: AbortSignal): AsyncIterable<tasks.TaskDetails> {
    return streamMessages(this.#call, WATCH_TASK_DETAILS, { id: { id: taskId } }, signal, this.#maxMessageBytes);
  }

  async pause(signal?: AbortSignal): Promise<void> {
    await unaryCall(this.#call, PAUSE, {}, signal ?? new AbortController().signal, this.#maxMessageBytes);
  }

  async resume(signal?: AbortSignal): Promise<void> {
    await unaryCall(this.#call, RESUME, {}, signal ?? new AbortController().signal, this.#maxMessageBytes);
  }
}
