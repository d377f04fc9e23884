import { GrpcError, GrpcStatus } from "@async-insight/protocol/grpc";

/** A message over this console's own size limit: told apart from a target that ends the call with RESOURCE_EXHAUSTED. */
export class MessageTooLargeError extends GrpcError {
  override name = "MessageTooLargeError";
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(GrpcStatus.RESOURCE_EXHAUSTED, `a message of ${bytes} bytes is larger than this console's limit of ${limit} bytes`);
  }
}

/** A compressed message: the console asks for none, so a target that sends one is not speaking the protocol. */
export function compressedMessageError(): GrpcError {
  return new GrpcError(GrpcStatus.INTERNAL, "protocol error: the target sent a compressed message, which this console did not ask for");
}
