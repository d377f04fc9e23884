/**
 * One gRPC call made by hand over node:http2, reporting exactly what came
 * back: the response headers, the trailers, the data bytes, and the
 * RST_STREAM code if the stream was reset. For tests that check how a server
 * answers requests a well-behaved client would never send.
 */
import http2 from "node:http2";

export interface RawCallResult {
  /** grpc-status from the trailers, or from the headers of a trailers-only answer; undefined when none came. */
  readonly grpcStatus: number | undefined;
  readonly grpcMessage: string;
  readonly httpStatus: number | undefined;
  readonly data: Buffer;
  /** The RST_STREAM code the stream closed with (0 = NO_ERROR). */
  readonly rstCode: number;
}

export interface RawCallOptions {
  readonly headers?: http2.OutgoingHttpHeaders;
  /** Body chunks, written in order; the request half-closes after the last unless `keepOpen`. */
  readonly body?: readonly Uint8Array[];
  readonly keepOpen?: boolean;
  /** Cancel the call once this many data bytes arrived (for streams that never end). */
  readonly stopAfterBytes?: number;
  readonly timeoutMs?: number;
}

export function rawCall(session: http2.ClientHttp2Session, path: string, options: RawCallOptions = {}): Promise<RawCallResult> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
      ...options.headers,
    });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(new Error(`no answer on ${path} within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (options.stopAfterBytes !== undefined && received >= options.stopAfterBytes) stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.on("error", () => {});
    stream.on("close", () => {
      clearTimeout(timer);
      const status = trailers["grpc-status"] ?? headers["grpc-status"];
      const message = trailers["grpc-message"] ?? headers["grpc-message"];
      resolve({
        grpcStatus: status === undefined ? undefined : Number(status),
        grpcMessage: typeof message === "string" ? decodeURIComponent(message) : "",
        httpStatus: headers[":status"] === undefined ? undefined : Number(headers[":status"]),
        data: Buffer.concat(chunks),
        rstCode: stream.rstCode ?? 0,
      });
    });
    const body = options.body ?? [];
    for (const chunk of body) stream.write(chunk);
    if (!options.keepOpen) stream.end();
  });
}

/** A gRPC frame with any flags and any declared length (which may lie about the body). */
export function rawFrame(body: Uint8Array, flags = 0, declaredLength = body.length): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, declaredLength >>> 0);
  out.set(body, 5);
  return out;
}
