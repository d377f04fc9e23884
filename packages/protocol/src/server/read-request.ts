/**
 * Reads the single request message of a call without ever resetting the
 * stream. Iterating the request with `for await` and throwing out of the loop
 * destroyed the stream (RST_STREAM CANCEL), so a client that sent an
 * oversized, compressed or garbled request never learnt why. Here a refusal
 * stops collecting, keeps discarding whatever the client still sends, and
 * leaves the stream open for a proper grpc-status.
 */
import type { ServerHttp2Stream } from "node:http2";
import { FrameError, FrameReader } from "../private/grpc-frame.js";
import { GrpcError, GrpcStatus } from "../private/grpc-status.js";

/** The client went away before its request was complete: nobody to answer. */
export class ClientGone extends Error {
  override name = "ClientGone";
}

function refusal(error: unknown): GrpcError {
  if (error instanceof FrameError) {
    return error.problem === "compressed"
      ? new GrpcError(GrpcStatus.UNIMPLEMENTED, `${error.message}; send messages uncompressed (grpc-encoding identity)`)
      : new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, error.message);
  }
  return new GrpcError(GrpcStatus.INTERNAL, `bad request: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Resolves with the one message of the request once the client half-closes;
 * rejects with a GrpcError to answer with, or ClientGone.
 */
export function readRequest(stream: ServerHttp2Stream, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FrameReader(maxBytes);
    const messages: Uint8Array[] = [];
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("close", onClose);
      if (error) {
        // Keep the stream flowing so the client can finish sending and read
        // the status; what it still sends is dropped, never buffered.
        stream.resume();
        reject(error);
      }
    };
    const onData = (chunk: Uint8Array) => {
      try {
        for (const message of reader.push(chunk)) messages.push(message);
      } catch (error) {
        finish(refusal(error));
        return;
      }
      if (messages.length > 1) finish(new GrpcError(GrpcStatus.UNIMPLEMENTED, "this method takes exactly one request message (it is not client-streaming)"));
    };
    const onEnd = () => {
      const [first] = messages;
      if (reader.pending) return finish(new GrpcError(GrpcStatus.INTERNAL, "the request ended inside a message (an incomplete gRPC frame)"));
      if (!first) return finish(new GrpcError(GrpcStatus.UNIMPLEMENTED, "the request carried no message (this method takes exactly one)"));
      finish(undefined);
      resolve(first);
    };
    const onClose = () => finish(new ClientGone("the client closed the stream before its request was complete"));
    const timer = setTimeout(() => finish(new GrpcError(GrpcStatus.DEADLINE_EXCEEDED, `no complete request within ${timeoutMs / 1000} s`)), timeoutMs);
    timer.unref();
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("close", onClose);
  });
}
