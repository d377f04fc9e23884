// A target's own words in a failed Pause reach the header only made safe and capped.
import { createServer, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { ConsoleClient, parseTarget } from "@async-insight/client";
import { LONG_FIELD_WIDTH } from "@async-insight/engine";
import type { ConnectionInfo } from "../view/render-input.js";
import { LiveFeed } from "./feed.js";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

it("says why a pause failed in the target's words, with no escape left in them", async () => {
  const server = createServer();
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session) => sessions.add(session));
  // Every call fails with a hostile grpc-message: an OSC title, a screen clear, and far too much text.
  server.on("stream", (stream) =>
    stream.respond(
      {
        ":status": 200,
        "content-type": "application/grpc",
        "grpc-status": "14",
        "grpc-message": encodeURIComponent(`\u001b]0;pwned\u0007\u001b[2J${"x".repeat(2000)}`),
      },
      { endStream: true },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  closers.push(() => {
    for (const session of sessions) session.destroy();
  });
  const feed = new LiveFeed(new ConsoleClient(parseTarget(String((server.address() as AddressInfo).port))));
  const notices: string[] = [];
  let connection: ConnectionInfo = feed.initialConnection;
  feed.start({
    update: () => {},
    reset: () => {},
    taskCreatedAt: () => undefined,
    connection: (change) => {
      connection = change(connection);
    },
    changed: () => {},
    notice: (text) => notices.push(text),
  });
  closers.push(() => feed.stop());
  feed.togglePause();
  for (let i = 0; i < 200 && notices.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(notices).toHaveLength(1);
  const [notice] = notices;
  expect(notice!.startsWith(`could not pause: ${feed.client.label}: \\x1b]0;pwned\\x07\\x1b[2Jxxx`)).toBe(true);
  expect(notice).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(notice!.length).toBe("could not pause: ".length + LONG_FIELD_WIDTH);
  expect(connection.temporality).toBe("live");
});
