/**
 * Turns transport and gRPC failures into one line a person can act on. The
 * console never shows a stack trace for a target that is down or wrong.
 */
import { GrpcError, GrpcStatus, grpcStatusName } from "@async-insight/protocol/grpc";
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/protocol/text";
import { PingTimeoutError } from "./private/http2-channel.js";
import { MessageTooLargeError, NotGrpcAnswerError } from "./private/message-limit.js";

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z0-9_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * One line for a failed connection or call. The target's own words (its
 * grpc-message, an error's text) are untrusted: the line is made safe and
 * capped, once, here, for every caller (terminal, JSON, web page).
 */
export function describeConnectionError(error: unknown, target: string): string {
  return safeText(connectionErrorLine(error, target), LONG_FIELD_WIDTH);
}

function connectionErrorLine(error: unknown, target: string): string {
  const sys = causeCode(error);
  if (sys === "ECONNREFUSED") return `nothing is listening at ${target} (connection refused)`;
  if (sys === "ENOTFOUND" || sys === "EAI_AGAIN") return `cannot resolve the host of ${target}`;
  if (sys === "ETIMEDOUT") return `connecting to ${target} timed out`;
  if (sys === "ERR_HTTP2_ERROR") return `${target} is not a console server: it does not speak gRPC over HTTP/2 (an HTTP/2 protocol error)`;
  if (sys === "ECONNRESET" || sys === "ERR_HTTP2_SESSION_ERROR") {
    return `${target} closed the connection; is it a console server (gRPC over HTTP/2)?`;
  }
  if (error instanceof PingTimeoutError) return `${target} stopped answering: ${error.message}`;
  if (error instanceof MessageTooLargeError) return `a message from ${target} is over the size limit: ${error.message}`;
  if (error instanceof GrpcError) {
    const reason = error.message;
    switch (error.code) {
      case GrpcStatus.UNIMPLEMENTED:
        return `${target} is not a console server: it does not implement the Instrument service`;
      case GrpcStatus.RESOURCE_EXHAUSTED:
        // The target refusing or ending the call (too many consoles, this console fell behind), in its words.
        return `${target} ended the stream: ${reason || "resource exhausted"}`;
      case GrpcStatus.UNAUTHENTICATED:
        return `${target} requires a token: pass it with --token or CONSOLATION_TOKEN (${reason || "unauthenticated"})`;
      case GrpcStatus.DEADLINE_EXCEEDED:
        return `${target} did not answer in time`;
      case GrpcStatus.UNAVAILABLE:
      case GrpcStatus.INTERNAL:
      case GrpcStatus.UNKNOWN:
        if (error instanceof NotGrpcAnswerError) return `${target} is not a console server (${reason})`;
        return `${target}: ${reason || grpcStatusName(error.code)}`;
      default:
        return `${target}: ${grpcStatusName(error.code)}: ${reason}`;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${target}: ${message}`;
}
