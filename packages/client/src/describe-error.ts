/**
 * Turns transport and gRPC failures into one line a person can act on. The
 * console never shows a stack trace for a target that is down or wrong.
 */
import { Code, ConnectError } from "@connectrpc/connect";

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function describeConnectionError(error: unknown, target: string): string {
  const sys = causeCode(error);
  if (sys === "ECONNREFUSED") return `nothing is listening at ${target} (connection refused)`;
  if (sys === "ENOTFOUND" || sys === "EAI_AGAIN") return `cannot resolve the host of ${target}`;
  if (sys === "ETIMEDOUT") return `connecting to ${target} timed out`;
  if (sys === "ECONNRESET" || sys === "ERR_HTTP2_SESSION_ERROR" || sys === "ERR_HTTP2_ERROR") {
    return `${target} closed the connection; is it a console server (gRPC over HTTP/2)?`;
  }
  if (error instanceof ConnectError) {
    switch (error.code) {
      case Code.Unimplemented:
        return `${target} is not a console server: it does not implement the Instrument service`;
      case Code.ResourceExhausted:
        // Our own read limit, or the target refusing or ending the call (too
        // many consoles, this console fell behind): say which, in its words.
        if (/readMaxBytes/.test(error.rawMessage)) return `a message from ${target} is over the size limit: ${error.rawMessage}`;
        return `${target} ended the stream: ${error.rawMessage || "resource exhausted"}`;
      case Code.Unauthenticated:
        return `${target} requires a token: pass it with --token or CONSOLATION_TOKEN (${error.rawMessage || "unauthenticated"})`;
      case Code.DeadlineExceeded:
        return `${target} did not answer in time`;
      case Code.Unavailable:
      case Code.Internal:
      case Code.Unknown:
        if (/HTTP\/2|protocol|http2|status 4\d\d|content-type/i.test(error.rawMessage)) {
          return `${target} is not a console server (${error.rawMessage})`;
        }
        return `${target}: ${error.rawMessage || Code[error.code]}`;
      default:
        return `${target}: ${Code[error.code]}: ${error.rawMessage}`;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${target}: ${message}`;
}
