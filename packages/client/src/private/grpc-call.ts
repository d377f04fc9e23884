/**
 * One gRPC call over an Http2Channel: a framed request, then the response
 * body as raw chunks, ending with the call's status. Framing of the response
 * is left to the caller, because WatchUpdates reads its large messages into
 * buffers of its own (update-stream.ts) while the small ones go through
 * FrameReader (grpc-messages.ts).
 *
 * Every failure is a GrpcError with the status gRPC would give it, or the
 * connection's own error (ECONNREFUSED and the like), so
 * describeConnectionError can say what happened in one line.
 */
import { constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import { decodeGrpcMessage, GrpcError, GrpcStatus, type GrpcStatusCode, parseGrpcStatus } from "@async-insight/protocol/grpc";
import type { Http2Channel } from "./http2-channel.js";
import { NotGrpcAnswerError } from "./message-limit.js";

/** Opens a call and yields its response body; the one seam tests replace. */
export type CallChunks = (path: string, request: Uint8Array, signal: AbortSignal) => AsyncIterable<Uint8Array>;

export interface CallSettings {
  readonly authorization?: string | undefined;
}

/** gRPC's mapping of an HTTP status that is not 200 (grpc/doc/http-grpc-status-mapping.md). */
function statusOfHttp(status: number): GrpcStatusCode {
  switch (status) {
    case 400:
      return GrpcStatus.INTERNAL;
    case 401:
      return GrpcStatus.UNAUTHENTICATED;
    case 403:
      return GrpcStatus.PERMISSION_DENIED;
    case 404:
      return GrpcStatus.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return GrpcStatus.UNAVAILABLE;
    default:
      return GrpcStatus.UNKNOWN;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The status a grpc-status header carries, as an error; undefined for OK or no header. */
function statusError(headers: IncomingHttpHeaders): GrpcError | "ok" | undefined {
  const status = header(headers, "grpc-status");
  if (status === undefined) return undefined;
  const code = parseGrpcStatus(status);
  if (code === GrpcStatus.OK) return "ok";
  return new GrpcError(code, decodeGrpcMessage(header(headers, "grpc-message") ?? ""));
}

const RESET_NAMES = new Map<number, string>([
  [constants.NGHTTP2_PROTOCOL_ERROR, "PROTOCOL_ERROR"],
  [constants.NGHTTP2_FLOW_CONTROL_ERROR, "FLOW_CONTROL_ERROR"],
  [constants.NGHTTP2_INTERNAL_ERROR, "INTERNAL_ERROR"],
  [constants.NGHTTP2_REFUSED_STREAM, "REFUSED_STREAM"],
  [constants.NGHTTP2_CANCEL, "CANCEL"],
  [constants.NGHTTP2_ENHANCE_YOUR_CALM, "ENHANCE_YOUR_CALM"],
]);

/** A stream that ended with RST_STREAM and no gRPC status; the connection's own error, when there is one, says more. */
class StreamResetError extends GrpcError {
  override name = "StreamResetError";
}

function resetError(stream: ClientHttp2Stream): GrpcError {
  const code = stream.rstCode ?? 0;
  const name = RESET_NAMES.get(code) ?? `code ${code}`;
  const status =
    code === constants.NGHTTP2_REFUSED_STREAM ? GrpcStatus.UNAVAILABLE : code === constants.NGHTTP2_CANCEL ? GrpcStatus.CANCELLED : GrpcStatus.INTERNAL;
  return new StreamResetError(status, `the target reset the HTTP/2 stream (${name})`);
}

/** An error node names with a code of its own (ERR_HTTP2_ERROR, ECONNRESET), other than a bare "premature close". */
function hasOwnCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code !== "ERR_STREAM_PREMATURE_CLOSE";
}

function waitForHeaders(stream: ClientHttp2Stream): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off("response", onResponse);
      stream.off("error", onError);
      stream.off("close", onClose);
    };
    const onResponse = (headers: IncomingHttpHeaders) => {
      done();
      resolve(headers);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(resetError(stream));
    };
    stream.on("response", onResponse);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

export function callOverChannel(channel: Http2Channel, settings: CallSettings): CallChunks {
  return (path, request, signal) => callChunks(channel, settings, path, request, signal);
}

async function* callChunks(channel: Http2Channel, settings: CallSettings, path: string, request: Uint8Array, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (signal.aborted) throw cancelled(signal);
  channel.callOpened();
  let session: ClientHttp2Session | undefined;
  let stream: ClientHttp2Stream | undefined;
  const onAbort = () => stream?.close(constants.NGHTTP2_CANCEL);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    session = channel.session();
    stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
      ...(settings.authorization ? { authorization: settings.authorization } : {}),
    });
    let trailers: IncomingHttpHeaders | undefined;
    stream.once("trailers", (received: IncomingHttpHeaders) => {
      trailers = received;
    });
    stream.end(request);
    const headers = await waitForHeaders(stream);
    const status = Number(header(headers, ":status"));
    if (status !== 200) throw new NotGrpcAnswerError(statusOfHttp(status), `the target answered with HTTP status ${status}, not a gRPC response`);
    const trailersOnly = statusError(headers);
    if (trailersOnly === "ok") return;
    if (trailersOnly) throw trailersOnly;
    const contentType = header(headers, "content-type") ?? "";
    if (!/^application\/grpc(?:\+proto)?(?:;|$)/.test(contentType)) {
      throw new NotGrpcAnswerError(GrpcStatus.INTERNAL, `the target answered with content-type "${contentType.slice(0, 80)}", not a gRPC response`);
    }
    for await (const chunk of stream) yield chunk as Uint8Array;
    if (signal.aborted) throw cancelled(signal);
    const ending = trailers ? statusError(trailers) : undefined;
    if (ending === "ok") return;
    if (ending) throw ending;
    if (stream.rstCode) throw resetError(stream);
    throw new NotGrpcAnswerError(GrpcStatus.INTERNAL, "protocol error: the call ended without a grpc-status");
  } catch (error) {
    if (signal.aborted) throw cancelled(signal);
    if (error instanceof GrpcError && !(error instanceof StreamResetError)) throw error;
    // A stream torn down with its connection only says it closed; the connection's error says why,
    // and node emits that on the session a turn after the stream has closed.
    if (session && (session.closed || session.destroyed) && !channel.failureOf(session)) await new Promise((resolve) => setImmediate(resolve));
    const failure = session ? channel.failureOf(session) : undefined;
    if (failure) throw failure;
    if (error instanceof StreamResetError || hasOwnCode(error) || !stream?.rstCode) throw error;
    throw resetError(stream);
  } finally {
    signal.removeEventListener("abort", onAbort);
    if (stream && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    channel.callClosed();
  }
}

function cancelled(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new GrpcError(GrpcStatus.CANCELLED, "the call was cancelled");
}
