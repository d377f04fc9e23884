/**
 * What both ends of a gRPC call share: status codes and the error that
 * carries one, grpc-message escaping and message framing. The server
 * (`./server`) and the console's client (`@async-insight/client`) each
 * import it from here, so one status means one thing on both sides.
 */
export {
  decodeGrpcMessage,
  encodeGrpcMessage,
  GrpcError,
  GrpcStatus,
  grpcStatusName,
  parseGrpcStatus,
  type GrpcStatusCode,
} from "./private/grpc-status.js";
export { encodeFrame, FRAME_HEADER_BYTES, FrameError, FrameReader, type FrameProblem } from "./private/grpc-frame.js";
