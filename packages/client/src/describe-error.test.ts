import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { describeConnectionError } from "./describe-error.js";

const T = "http://127.0.0.1:6669";

describe("describeConnectionError() shows the target's own reason", () => {
  it("for a console refused past the stream limit, or ended for falling behind", () => {
    expect(
      describeConnectionError(new ConnectError("too many consoles: this server allows 8 open WatchUpdates streams at once", Code.ResourceExhausted), T),
    ).toBe("http://127.0.0.1:6669 ended the stream: too many consoles: this server allows 8 open WatchUpdates streams at once");
    expect(describeConnectionError(new ConnectError("this console fell behind: it had not taken 64 updates", Code.ResourceExhausted), T)).toBe(
      "http://127.0.0.1:6669 ended the stream: this console fell behind: it had not taken 64 updates",
    );
  });

  it("keeps our own size limit apart", () => {
    expect(describeConnectionError(new ConnectError("message size 9 is larger than configured readMaxBytes 8", Code.ResourceExhausted), T)).toBe(
      "a message from http://127.0.0.1:6669 is over the size limit: message size 9 is larger than configured readMaxBytes 8",
    );
  });

  it("for a target that requires a token", () => {
    expect(describeConnectionError(new ConnectError("this console server requires a token", Code.Unauthenticated), T)).toBe(
      "http://127.0.0.1:6669 requires a token: pass it with --token or CONSOLATION_TOKEN (this console server requires a token)",
    );
  });
});
