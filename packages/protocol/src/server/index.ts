export { GrpcServer, type CallContext, type GrpcServerOptions, type ListenAddress, type StreamLimit } from "./grpc-server.js";
export {
  DEFAULT_MAX_STREAMS,
  INSTRUMENT_SERVICE,
  registerInstrumentService,
  startInstrumentServer,
  type InstrumentServerOptions,
  type InstrumentSource,
  type RunningInstrumentServer,
} from "./instrument-service.js";
export { splitUpdate, DEFAULT_CLIENT_LIMIT_BYTES } from "./split-update.js";
export { GrpcError, GrpcStatus, type GrpcStatusCode } from "../private/grpc-status.js";
export { MessageQueue } from "./message-queue.js";
/** The encoded bytes of a message, computed once and shared by every console it is sent to. */
export { encodeOnce } from "../private/encoded-once.js";
