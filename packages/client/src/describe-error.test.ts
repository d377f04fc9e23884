import { GrpcError, GrpcStatus } from "@async-insight/protocol/grpc";
import { describe, expect, it } from "vitest";
import { describeConnectionError } from "./describe-error.js";
import { MessageTooLargeError } from "./private/message-limit.js";

const T = "http://127.0.0.1:6669";

describe("describeConnectionError() shows the target's own reason", () => {
  it("for a console refused past the stream limit, or ended for falling behind", () => {
    expect(
      describeConnectionError(new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, "too many consoles: this server allows 8 open WatchUpdates streams at once"), T),
    ).toBe("http://127.0.0.1:6669 ended the stream: too many consoles: this server allows 8 open WatchUpdates streams at once");
    expect(describeConnectionError(new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, "this console fell behind: it had not taken 64 updates"), T)).toBe(
      "http://127.0.0.1:6669 ended the stream: this console fell behind: it had not taken 64 updates",
    );
  });

  it("keeps our own size limit apart", () => {
    expect(describeConnectionError(new MessageTooLargeError(9, 8), T)).toBe(
      "a message from http://127.0.0.1:6669 is over the size limit: a message of 9 bytes is larger than this console's limit of 8 bytes",
    );
  });

  it("for a target that requires a token", () => {
    expect(describeConnectionError(new GrpcError(GrpcStatus.UNAUTHENTICATED, "this console server requires a token"), T)).toBe(
      "http://127.0.0.1:6669 requires a token: pass it with --token or CONSOLATION_TOKEN (this console server requires a token)",
    );
  });
});
