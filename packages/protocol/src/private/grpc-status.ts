/** The gRPC status codes this project produces or reports. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

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
