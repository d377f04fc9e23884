/**
 * A minimal gRPC server over node:http2, enough for the console protocol:
 * unary and server-streaming calls, protobuf-es messages, no compression.
 *
 * Written against node:http2 directly rather than a framework so that the
 * instrumented app carries no extra dependencies and we control what a
 * console server inside someone else's process must guarantee: response
 * headers go out the moment a stream opens (tokio-console waits for them
 * before reading), writes respect HTTP/2 flow control, every refused call
 * gets a grpc-status that says why (never a bare stream reset), open streams
 * per method are capped, a client that stops reading is ended rather than
 * buffered for, and nothing a client does can throw into the host process.
 */
import * as http2 from "node:http2";
import { once } from "node:events";
import { fromBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { encodeOnce } from "../private/encoded-once.js";
import { encodeFrame } from "../private/grpc-frame.js";
import { encodeGrpcMessage, GrpcError, GrpcStatus, type GrpcStatusCode } from "../private/grpc-status.js";
import { BearerToken } from "./bearer-token.js";
import { ClientGone, readRequest } from "./read-request.js";

export interface CallContext {
  /** Aborted when the client goes away, the call is ended, or the server closes. */
  readonly signal: AbortSignal;
  readonly peer: string;
}

type Unary<I extends DescMessage, O extends DescMessage> = (request: MessageShape<I>, context: CallContext) => MessageShape<O> | Promise<MessageShape<O>>;

type ServerStream<I extends DescMessage, O extends DescMessage> = (request: MessageShape<I>, context: CallContext) => AsyncIterable<MessageShape<O>>;

/** At most `max` calls of a method open at once; the next gets RESOURCE_EXHAUSTED with `message`. */
export interface StreamLimit {
  readonly max: number;
  readonly message: string;
}

interface Route {
  readonly input: DescMessage;
  readonly output: DescMessage;
  readonly run: (request: unknown, context: CallContext) => AsyncIterable<unknown>;
  readonly limit: StreamLimit | undefined;
  open: number;
}

export interface GrpcServerOptions {
  /** Largest request message accepted. Console requests are a few bytes. Default 64 KiB. */
  readonly maxRequestBytes?: number;
  /** Called with errors that were contained instead of thrown. */
  readonly onError?: (error: unknown) => void;
  /** When set, every call must carry `authorization: Bearer <token>`; others get UNAUTHENTICATED. */
  readonly token?: string;
  /**
   * How long a write may wait for a client that reads nothing before the call
   * is ended with RESOURCE_EXHAUSTED. Default 30 s.
   */
  readonly stallTimeoutMs?: number;
  /**
   * After a call ends, how long the server waits for the client to take the
   * rest of its data and the status before resetting the stream. Default 30 s.
   */
  readonly endGraceMs?: number;
  /** How long a client has to send its (one, tiny) request. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** HTTP/2 streams one connection may have open; consoles use three or four. */
const SESSION_STREAMS = 100;

export class GrpcServer {
  readonly #routes = new Map<string, Route>();
  readonly #server: http2.Http2Server;
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  /** One controller per open call, aborted by close(); no listener on a shared signal per call. */
  readonly #calls = new Set<AbortController>();
  #closing = false;
  readonly #maxRequestBytes: number;
  readonly #onError: (error: unknown) => void;
  readonly #token: BearerToken | undefined;
  readonly #stallTimeoutMs: number;
  readonly #endGraceMs: number;
  readonly #requestTimeoutMs: number;

  constructor(options: GrpcServerOptions = {}) {
    this.#maxRequestBytes = options.maxRequestBytes ?? 64 * 1024;
    this.#onError = options.onError ?? (() => {});
    this.#token = options.token ? new BearerToken(options.token) : undefined;
    this.#stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
    this.#endGraceMs = options.endGraceMs ?? 30_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#server = http2.createServer({ settings: { maxConcurrentStreams: SESSION_STREAMS } });
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
      limit: undefined,
      open: 0,
    });
    return this;
  }

  serverStream<I extends DescMessage, O extends DescMessage>(path: string, input: I, output: O, handler: ServerStream<I, O>, limit?: StreamLimit): this {
    this.#routes.set(path, { input, output, run: (request, context) => handler(request as MessageShape<I>, context), limit, open: 0 });
    return this;
  }

  /** Resolves with the bound address, or rejects (e.g. EADDRINUSE) without side effects. */
  listen(port: number, host: string): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once("error", onError);
      // exclusive: in a cluster worker, a shared handle would hand each connection to a random worker (and
      // port 0 would be one port for all of them); every process's console server is its own.
      this.#server.listen({ port, host, exclusive: true }, () => {
        this.#server.off("error", onError);
        const address = this.#server.address();
        if (address && typeof address === "object") resolve({ host: address.address, port: address.port });
        else reject(new Error("server bound to a non-TCP address"));
      });
    });
  }

  /** Ends every open call and stops listening. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const call of this.#calls) call.abort();
    const closed = this.#server.listening ? once(this.#server, "close") : Promise.resolve();
    this.#server.close();
    for (const session of this.#sessions) session.destroy();
    await closed;
  }

  /** The underlying server, for unref() in a host process. */
  get httpServer(): http2.Http2Server {
    return this.#server;
  }

  /** Open calls of a method (for tests and diagnostics). */
  openCalls(path: string): number {
    return this.#routes.get(path)?.open ?? 0;
  }

  async #handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Promise<void> {
    stream.on("error", (error) => this.#onError(error));
    const path = headers[":path"] ?? "";
    const contentType = headers["content-type"] ?? "";
    if (headers[":method"] !== "POST" || !contentType.startsWith("application/grpc")) {
      // Not a gRPC call: say so in plain HTTP so curl and browsers get an answer.
      stream.resume();
      stream.respond({ ":status": 415, "content-type": "text/plain" });
      stream.end("this is a console wire protocol (gRPC) endpoint\n");
      return;
    }
    if (this.#token && !this.#token.accepts(headers.authorization)) {
      return this.#refuse(stream, GrpcStatus.UNAUTHENTICATED, "this console server requires a token: send gRPC metadata authorization: Bearer <token>");
    }
    const route = this.#routes.get(path);
    if (!route) return this.#refuse(stream, GrpcStatus.UNIMPLEMENTED, `method ${path} is not implemented`);
    const encoding = headers["grpc-encoding"];
    if (typeof encoding === "string" && encoding !== "identity") {
      return this.#refuse(stream, GrpcStatus.UNIMPLEMENTED, `grpc-encoding ${encoding} is not supported (only identity)`);
    }

    let request: unknown;
    try {
      request = fromBinary(route.input, await readRequest(stream, this.#maxRequestBytes, this.#requestTimeoutMs));
    } catch (error) {
      if (error instanceof ClientGone) return;
      if (error instanceof GrpcError) return this.#trailersOnly(stream, error.code, error.message);
      const message = error instanceof Error ? error.message : String(error);
      return this.#trailersOnly(stream, GrpcStatus.INTERNAL, `the request is not a valid ${route.input.typeName}: ${message}`);
    }
    if (stream.destroyed || stream.closed) return;
    if (this.#closing) return this.#trailersOnly(stream, GrpcStatus.UNAVAILABLE, "server shutting down");
    if (route.limit && route.open >= route.limit.max) {
      return this.#trailersOnly(stream, GrpcStatus.RESOURCE_EXHAUSTED, route.limit.message);
    }
    route.open++;
    try {
      await this.#run(stream, route, request);
    } finally {
      route.open--;
    }
  }

  async #run(stream: http2.ServerHttp2Stream, route: Route, request: unknown): Promise<void> {
    const call = new AbortController();
    const onClose = () => call.abort();
    stream.once("close", onClose);
    this.#calls.add(call);
    const context: CallContext = { signal: call.signal, peer: stream.session?.socket?.remoteAddress ?? "" };

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
        if (call.signal.aborted || stream.destroyed) break;
        const frame = encodeFrame(encodeOnce(route.output, message as MessageShape<DescMessage>));
        if (!stream.write(frame) && !(await drainedOrAborted(stream, call.signal, this.#stallTimeoutMs))) {
          status = GrpcStatus.RESOURCE_EXHAUSTED;
          statusMessage = `the client took nothing for ${this.#stallTimeoutMs / 1000} s; the call was ended so the server does not buffer for it (reconnect for a fresh start)`;
          break;
        }
      }
    } catch (error) {
      if (error instanceof GrpcError) {
        status = error.code;
        statusMessage = error.message;
      } else if (!call.signal.aborted) {
        this.#onError(error);
        status = GrpcStatus.INTERNAL;
        statusMessage = "internal error";
      }
    } finally {
      this.#calls.delete(call);
      stream.off("close", onClose);
      if (this.#closing && status === GrpcStatus.OK) {
        status = GrpcStatus.UNAVAILABLE;
        statusMessage = "server shutting down";
      }
      // Whatever ended the call, its handler's resources go now.
      call.abort();
      if (!stream.destroyed && !stream.closed) {
        stream.end();
        this.#resetIfStuck(stream);
      }
    }
  }

  /**
   * The status goes out after the data already written; a client that never
   * reads again never takes it, and its buffered frame would stay. Past one
   * grace period the stream is reset instead.
   */
  #resetIfStuck(stream: http2.ServerHttp2Stream): void {
    const timer = setTimeout(() => {
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    }, this.#endGraceMs);
    timer.unref();
    stream.once("close", () => clearTimeout(timer));
  }

  /** A refusal before the request was read: answer, and drop whatever the client still sends. */
  #refuse(stream: http2.ServerHttp2Stream, code: GrpcStatusCode, message: string): void {
    stream.resume();
    this.#trailersOnly(stream, code, message);
  }

  #trailersOnly(stream: http2.ServerHttp2Stream, code: GrpcStatusCode, message: string): void {
    if (stream.destroyed || stream.closed || stream.headersSent) return;
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
 * Waits until a slow client has taken what was written (true), the call ends
 * (true), or `timeoutMs` passes with nothing taken (false). Every listener
 * goes away either way: racing two `once()` promises left an abort listener
 * behind per wait, and past ten Node printed a leak warning into the
 * instrumented app's stderr.
 */
function drainedOrAborted(stream: http2.ServerHttp2Stream, signal: AbortSignal, timeoutMs: number): Promise<boolean> {
  if (signal.aborted || stream.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (drained: boolean) => {
      clearTimeout(timer);
      stream.off("drain", done);
      stream.off("close", done);
      signal.removeEventListener("abort", done);
      resolve(drained);
    };
    const done = () => settle(true);
    const timer = setTimeout(() => settle(false), timeoutMs);
    timer.unref();
    stream.on("drain", done);
    stream.on("close", done);
    signal.addEventListener("abort", done);
  });
}
