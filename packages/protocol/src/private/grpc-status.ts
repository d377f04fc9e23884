/** gRPC's status codes: the server produces some, and the client may read any from a peer. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

const STATUS_NAMES = new Map<number, string>(Object.entries(GrpcStatus).map(([name, code]) => [code, name]));

/** `UNAVAILABLE` for 14; a peer's unknown number is shown as a number. */
export function grpcStatusName(code: number): string {
  return STATUS_NAMES.get(code) ?? `status ${code}`;
}

/** A grpc-status header's value; anything that is not one of the 17 codes is UNKNOWN, as gRPC says. */
export function parseGrpcStatus(text: string): GrpcStatusCode {
  const code = /^\d{1,2}$/.test(text) ? Number(text) : -1;
  return STATUS_NAMES.has(code) ? (code as GrpcStatusCode) : GrpcStatus.UNKNOWN;
}

/** Thrown by a handler to end its call with a specific status. */
export class GrpcError extends Error {
  override name = "GrpcError";
  constructor(
    readonly code: GrpcStatusCode,
    message: string,
  ) {
    super(message);
  }
}

/** grpc-message is percent-encoded so any text survives an HTTP/2 header. */
export function encodeGrpcMessage(message: string): string {
  return encodeURIComponent(message).replace(/%20/g, " ");
}

/** The text of a peer's grpc-message; a malformed escape is kept as sent rather than failing the call. */
export function decodeGrpcMessage(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}
