/**
 * A minimal gRPC server over node:http2, enough for the console protocol:
 * unary and server-streaming calls, protobuf-es messages, no compression.
 *
 * Written against node:http2 directly rather than a framework so that the
 * instrumented app carries no extra dependencies and we control three things
 * a console client depends on: response headers go out the moment a stream
 * opens (tokio-console waits for them before reading), writes respect HTTP/2
 * flow control, and nothing a client does can throw into the host process.
 */
import * as http2 from "node:http2";
import { once } from "node:events";
import { fromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { encodeOnce } from "../private/encoded-once.js";
import { encodeFrame, FrameReader } from "../private/grpc-frame.js";
import { encodeGrpcMessage, GrpcError, GrpcStatus, type GrpcStatusCode } from "../private/grpc-status.js";

export interface CallContext {
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  readonly peer: string;
}

type Unary<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  context: CallContext,
) => MessageShape<O> | Promise<MessageShape<O>>;

type ServerStream<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  context: CallContext,
) => AsyncIterable<MessageShape<O>>;

interface Route {
  readonly input: DescMessage;
  readonly output: DescMessage;
  readonly run: (request: unknown, context: CallContext) => AsyncIterable<unknown>;
}

export interface GrpcServerOptions {
  /** Largest request message accepted. Console requests are tiny. */
  readonly maxRequestBytes?: number;
  /** Called with errors that were contained instead of thrown. */
  readonly onError?: (error: unknown) => void;
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export class GrpcServer {
  readonly #routes = new Map<string, Route>();
  readonly #server: http2.Http2Server;
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  readonly #closing = new AbortController();
  readonly #maxRequestBytes: number;
  readonly #onError: (error: unknown) => void;

  constructor(options: GrpcServerOptions = {}) {
    this.#maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
    this.#onError = options.onError ?? (() => {});
    this.#server = http2.createServer();
    this.#server.on("session", (session) => {
      this.#sessions.add(session);
      session.on("close", () => this.#sessions.delete(session));
      session.on("error", (error) => this.#onError(error));
    });
    this.#server.on("stream", (stream, headers) => {
      this.#handle(stream, headers).catch((error: unknown) => this.#onError(error));
    });
    this.#server.on("error", (error) => this.#onError(error));
    this.#server.on("sessionError", (error) => this.#onError(error));
  }

  unary<I extends DescMessage, O extends DescMessage>(path: string, input: I, output: O, handler: Unary<I, O>): this {
    this.#routes.set(path, {
      input,
      output,
      run: async function* (request, context) {
        yield await handler(request as MessageShape<I>, context);
      },
    });
    return this;
  }

  serverStream<I extends DescMessage, O extends DescMessage>(
    path: string,
    input: I,
    output: O,
    handler: ServerStream<I, O>,
  ): this {
    this.#routes.set(path, { input, output, run: (request, context) => handler(request as MessageShape<I>, context) });
    return this;
  }

  /** Resolves with the bound address, or rejects (e.g. EADDRINUSE) without side effects. */
  listen(port: number, host: string): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once("error", onError);
      this.#server.listen({ port, host }, () => {
        this.#server.off("error", onError);
        const address = this.#server.address();
        if (address && typeof address === "object") resolve({ host: address.address, port: address.port });
        else reject(new Error("server bound to a non-TCP address"));
      });
    });
  }

  /** Ends every open call and stops listening. */
  async close(): Promise<void> {
    this.#closing.abort();
    const closed = this.#server.listening ? once(this.#server, "close") : Promise.resolve();
    this.#server.close();
    for (const session of this.#sessions) session.destroy();
    await closed;
  }

  /** The underlying server, for unref() in a host process. */
  get httpServer(): http2.Http2Server {
    return this.#server;
  }

  async #handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Promise<void> {
    stream.on("error", (error) => this.#onError(error));
    const path = headers[":path"] ?? "";
    const contentType = headers["content-type"] ?? "";
    if (headers[":method"] !== "POST" || !contentType.startsWith("application/grpc")) {
      // Not a gRPC call: say so in plain HTTP so curl and browsers get an answer.
      stream.respond({ ":status": 415, "content-type": "text/plain" });
      stream.end("this is a console wire protocol (gRPC) endpoint\n");
      return;
    }
    const route = this.#routes.get(path);
    if (!route) {
      this.#trailersOnly(stream, GrpcStatus.UNIMPLEMENTED, `method ${path} is not implemented`);
      return;
    }

    const abort = new AbortController();
    const onClose = () => abort.abort();
    stream.once("close", onClose);
    this.#closing.signal.addEventListener("abort", onClose, { once: true });
    const context: CallContext = { signal: abort.signal, peer: stream.session?.socket?.remoteAddress ?? "" };

    let request: unknown;
    try {
      request = fromBinary(route.input, await this.#readRequest(stream));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#trailersOnly(stream, GrpcStatus.INVALID_ARGUMENT, `bad request: ${message}`);
      return;
    }

    let status: GrpcStatusCode = GrpcStatus.OK;
    let statusMessage = "";
    stream.respond({ ":status": 200, "content-type": "application/grpc+proto" }, { waitForTrailers: true });
    stream.once("wantTrailers", () => {
      const trailers: http2.OutgoingHttpHeaders = { "grpc-status": String(status) };
      if (statusMessage) trailers["grpc-message"] = encodeGrpcMessage(statusMessage);
      stream.sendTrailers(trailers);
    });
    try {
      for await (const message of route.run(request, context)) {
        if (abort.signal.aborted || stream.destroyed) break;
        const frame = encodeFrame(encodeOnce(route.output, message as MessageShape<DescMessage>));
        if (!stream.write(frame)) {
          await drainedOrAborted(stream, abort.signal);
        }
      }
    } catch (error) {
      if (error instanceof GrpcError) {
        status = error.code;
        statusMessage = error.message;
      } else if (!abort.signal.aborted) {
        this.#onError(error);
        status = GrpcStatus.INTERNAL;
        statusMessage = "internal error";
      }
    } finally {
      this.#closing.signal.removeEventListener("abort", onClose);
      if (this.#closing.signal.aborted && status === GrpcStatus.OK) {
        status = GrpcStatus.UNAVAILABLE;
        statusMessage = "server shutting down";
      }
      if (!stream.destroyed && !stream.closed) stream.end();
    }
  }

  async #readRequest(stream: http2.ServerHttp2Stream): Promise<Uint8Array> {
    const reader = new FrameReader(this.#maxRequestBytes);
    const messages: Uint8Array[] = [];
    for await (const chunk of stream) {
      messages.push(...reader.push(chunk as Uint8Array));
    }
    const [first] = messages;
    if (!first || messages.length > 1 || reader.pending) {
      throw new Error(`expected exactly one request message, got ${messages.length}${reader.pending ? " and a partial one" : ""}`);
    }
    return first;
  }

  #trailersOnly(stream: http2.ServerHttp2Stream, code: GrpcStatusCode, message: string): void {
    if (stream.destroyed || stream.headersSent) return;
    stream.respond(
      {
        ":status": 200,
        "content-type": "application/grpc+proto",
        "grpc-status": String(code),
        "grpc-message": encodeGrpcMessage(message),
      },
      { endStream: true },
    );
  }
}

/**
 * Waits until a slow client has taken what was written, or the call ends.
 * Both listeners go away either way: racing two `once()` promises left an
 * abort listener behind per wait, and past ten Node printed a leak warning
 * into the instrumented app's stderr.
 */
function drainedOrAborted(stream: http2.ServerHttp2Stream, signal: AbortSignal): Promise<void> {
  if (signal.aborted || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    signal.addEventListener("abort", done);
  });
}
