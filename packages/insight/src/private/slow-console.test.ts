/**
 * A console that stops reading, against the real server: it is ended with
 * RESOURCE_EXHAUSTED and the reason once it is too far behind. It used to be
 * ended with grpc-status OK, so it never learnt it had been dropped.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { InstrumentRequestSchema } from "@async-insight/protocol";
import { GrpcStatus, INSTRUMENT_SERVICE, startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import http2 from "node:http2";
import { afterEach, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { RuntimeInstrumentSource } from "./instrument-source.js";
import { Runtime } from "./runtime.js";

let server: RunningInstrumentServer | undefined;
let session: http2.ClientHttp2Session | undefined;
afterEach(async () => {
  session?.close();
  await server?.close();
});

it("ends a console that took nothing while 70 updates were published with RESOURCE_EXHAUSTED, not OK", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  const source = new RuntimeInstrumentSource(rt);
  server = await startInstrumentServer(source, { port: 0 });
  session = http2.connect(`http://127.0.0.1:${server.address.port}`);
  const stream = session.request({
    ":method": "POST",
    ":path": `${INSTRUMENT_SERVICE}/WatchUpdates`,
    "content-type": "application/grpc+proto",
    te: "trailers",
  });
  const body = toBinary(InstrumentRequestSchema, create(InstrumentRequestSchema));
  const frame = new Uint8Array(5 + body.length);
  frame.set(body, 5);
  stream.end(frame);
  stream.pause();
  let trailers: http2.IncomingHttpHeaders = {};
  stream.on("trailers", (t) => (trailers = t));
  await new Promise((resolve) => stream.once("response", resolve));
  // Each delta carries 1000 new tasks (well past the HTTP/2 window), so the
  // server soon waits on this client and the updates queue up for it.
  for (let tick = 0; tick < 70; tick++) {
    for (let i = 0; i < 1000; i++) rt.createTask(`task-${tick}-${i}`, "task", { tick }, undefined, undefined);
    source.tick();
    await new Promise((resolve) => setImmediate(resolve));
  }
  stream.resume();
  await new Promise((resolve) => stream.once("close", resolve));
  expect(trailers["grpc-status"]).toBe(String(GrpcStatus.RESOURCE_EXHAUSTED));
  expect(decodeURIComponent(String(trailers["grpc-message"]))).toMatch(
    /^this console fell behind: it had not taken 64 updates \(\d+\.\d MiB; the limit is 64 updates or 32 MiB\), so the target ended its stream; reconnect for a fresh snapshot$/,
  );
  expect(source.watcherCount).toBe(0);
});
