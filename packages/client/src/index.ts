export { ConsoleClient, DEFAULT_MAX_MESSAGE_BYTES, type ConsoleClientOptions } from "./console-client.js";
export {
  watchTarget,
  nextBackoff,
  type BackoffOptions,
  type ConnectionState,
  type TargetWatch,
  type WatchHandlers,
} from "./watch-target.js";
export { fetchSnapshot, SnapshotError, type SnapshotOptions } from "./fetch-snapshot.js";
export { describeConnectionError } from "./describe-error.js";
export { DEFAULT_TARGET, formatTarget, parseTarget, TargetError } from "./target.js";
export { attachToken, tokenFor } from "./target-token.js";
export { MessageTooLargeError } from "./private/message-limit.js";
export { PingTimeoutError } from "./private/http2-channel.js";
