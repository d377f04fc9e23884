import { GrpcError, GrpcStatus } from "@async-insight/protocol/grpc";
import { LONG_FIELD_WIDTH } from "@async-insight/protocol/text";
import { describe, expect, it } from "vitest";
import { describeConnectionError } from "./describe-error.js";
import { MessageTooLargeError, NotGrpcAnswerError } from "./private/message-limit.js";

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

  it("makes the target's own words safe and caps the line: no escape reaches a terminal", () => {
    const hostile = `\u001b]0;pwned\u0007\u001b[2J${"x".repeat(5000)}`;
    const line = describeConnectionError(new GrpcError(GrpcStatus.UNAVAILABLE, hostile), T);
    expect(line.startsWith("http://127.0.0.1:6669: \\x1b]0;pwned\\x07\\x1b[2Jxxx")).toBe(true);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(line.length).toBe(LONG_FIELD_WIDTH);
    expect(line.endsWith("…")).toBe(true);
  });

  it("says a target that answers with something else than gRPC is not a console server, whatever its words", () => {
    expect(describeConnectionError(new NotGrpcAnswerError(GrpcStatus.UNAVAILABLE, "the target answered with HTTP status 503, not a gRPC response"), T)).toBe(
      "http://127.0.0.1:6669 is not a console server (the target answered with HTTP status 503, not a gRPC response)",
    );
    // A console server's own failure that mentions a protocol is its own words, not a verdict on what it is.
    expect(describeConnectionError(new GrpcError(GrpcStatus.UNAVAILABLE, "protocol handler restarting"), T)).toBe(
      "http://127.0.0.1:6669: protocol handler restarting",
    );
  });
});
