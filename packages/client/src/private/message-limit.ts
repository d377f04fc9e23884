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

/**
 * The target's answer is not gRPC as a console server speaks it (another HTTP
 * status or content type, no status, a cut or compressed message): said as
 * "not a console server", whatever words the target sent.
 */
export class NotGrpcAnswerError extends GrpcError {
  override name = "NotGrpcAnswerError";
}

/** A compressed message: the console asks for none, so a target that sends one is not speaking the protocol. */
export function compressedMessageError(): GrpcError {
  return new NotGrpcAnswerError(GrpcStatus.INTERNAL, "protocol error: the target sent a compressed message, which this console did not ask for");
}
