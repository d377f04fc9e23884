export { GrpcServer, type CallContext, type GrpcServerOptions, type ListenAddress } from "./grpc-server.js";
export {
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
