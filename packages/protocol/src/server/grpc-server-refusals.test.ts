import { create, toBinary } from "@bufbuild/protobuf";
import http2 from "node:http2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InstrumentRequestSchema, UpdateSchema } from "../gen/console/instrument_pb.js";
import { GrpcStatus } from "../private/grpc-status.js";
import { rawCall, rawFrame } from "../testdata/raw-grpc-call.js";
import { GrpcServer, type GrpcServerOptions } from "./grpc-server.js";

const WATCH = "/test.Svc/Watch";
const UNARY = "/test.Svc/Echo";
const EMPTY_REQUEST = rawFrame(toBinary(InstrumentRequestSchema, create(InstrumentRequestSchema)));

let server: GrpcServer;
let session: http2.ClientHttp2Session;

async function start(options: GrpcServerOptions = {}, maxStreams = 8): Promise<void> {
  server = new GrpcServer(options);
  server.unary(UNARY, InstrumentRequestSchema, UpdateSchema, () => create(UpdateSchema, { now: { seconds: 7n } }));
  server.serverStream(
    WATCH,
    InstrumentRequestSchema,
    UpdateSchema,
    async function* (_, ctx) {
      yield create(UpdateSchema, { now: { seconds: 1n } });
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    },
    { max: maxStreams, message: `too many watchers (at most ${maxStreams})` },
  );
  const { port } = await server.listen(0, "127.0.0.1");
  session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
}

afterEach(async () => {
  session?.close();
  await server?.close();
});

describe("requests a console never sends get a grpc-status, never RST_STREAM CANCEL", () => {
  beforeEach(() => start());

  it("a 0xFFFFFFFF length prefix: RESOURCE_EXHAUSTED naming the size", async () => {
    const result = await rawCall(session, UNARY, { body: [rawFrame(new Uint8Array(3), 0, 0xffffffff)] });
    expect(result).toMatchObject({ grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, rstCode: 0 });
    expect(result.grpcMessage).toBe("gRPC message of 4294967295 bytes exceeds the 65536-byte limit");
  });

  it("a 2 MiB body: RESOURCE_EXHAUSTED, and the rest of the body is discarded", async () => {
    const body = rawFrame(new Uint8Array(2 * 1024 * 1024));
    const result = await rawCall(session, UNARY, { body: [body] });
    expect(result).toMatchObject({ grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, rstCode: 0 });
    expect(result.grpcMessage).toBe("gRPC message of 2097152 bytes exceeds the 65536-byte limit");
  });

  it("the compressed flag: UNIMPLEMENTED", async () => {
    const result = await rawCall(session, UNARY, { body: [rawFrame(new Uint8Array(2), 1)] });
    expect(result).toMatchObject({ grpcStatus: GrpcStatus.UNIMPLEMENTED, rstCode: 0 });
    expect(result.grpcMessage).toBe("compressed gRPC messages are not supported; send messages uncompressed (grpc-encoding identity)");
  });

  it("a grpc-encoding the server does not speak: UNIMPLEMENTED", async () => {
    const result = await rawCall(session, UNARY, { headers: { "grpc-encoding": "gzip" }, body: [EMPTY_REQUEST] });
    expect(result).toMatchObject({ grpcStatus: GrpcStatus.UNIMPLEMENTED, grpcMessage: "grpc-encoding gzip is not supported (only identity)", rstCode: 0 });
  });

  it("bytes that are not the request message: INTERNAL naming the type", async () => {
    const result = await rawCall(session, UNARY, { body: [rawFrame(new Uint8Array([0xff, 0xff, 0xff]))] });
    expect(result).toMatchObject({ grpcStatus: GrpcStatus.INTERNAL, rstCode: 0 });
    expect(result.grpcMessage).toMatch(/^the request is not a valid rs\.tokio\.console\.instrument\.InstrumentRequest: /);
  });

  it("no message, two messages, or a cut-off frame: a status that says which", async () => {
    const none = await rawCall(session, UNARY, { body: [] });
    const two = await rawCall(session, UNARY, { body: [EMPTY_REQUEST, EMPTY_REQUEST] });
    const cut = await rawCall(session, UNARY, { body: [rawFrame(new Uint8Array(4), 0, 10)] });
    expect([none.grpcStatus, none.grpcMessage]).toEqual([GrpcStatus.UNIMPLEMENTED, "the request carried no message (this method takes exactly one)"]);
    expect([two.grpcStatus, two.grpcMessage]).toEqual([GrpcStatus.UNIMPLEMENTED, "this method takes exactly one request message (it is not client-streaming)"]);
    expect([cut.grpcStatus, cut.grpcMessage]).toEqual([GrpcStatus.INTERNAL, "the request ended inside a message (an incomplete gRPC frame)"]);
  });

  it("still answers a good call on the same connection afterwards", async () => {
    await rawCall(session, UNARY, { body: [rawFrame(new Uint8Array(3), 0, 0xffffffff)] });
    const good = await rawCall(session, UNARY, { body: [EMPTY_REQUEST] });
    expect([good.grpcStatus, good.data.length]).toEqual([GrpcStatus.OK, 5 + toBinary(UpdateSchema, create(UpdateSchema, { now: { seconds: 7n } })).length]);
  });
});

describe("bounded streams", () => {
  it("refuses a stream past the limit with RESOURCE_EXHAUSTED and the limit's message, and admits one again after a close", async () => {
    await start({}, 3);
    const open = [0, 1, 2].map(() => {
      const stream = session.request({ ":method": "POST", ":path": WATCH, "content-type": "application/grpc+proto", te: "trailers" });
      stream.on("error", () => {});
      stream.end(EMPTY_REQUEST);
      return new Promise<http2.ClientHttp2Stream>((resolve) => stream.once("data", () => resolve(stream)));
    });
    const streams = await Promise.all(open);
    expect(server.openCalls(WATCH)).toBe(3);
    const refused = await rawCall(session, WATCH, { body: [EMPTY_REQUEST] });
    expect(refused).toMatchObject({ grpcStatus: GrpcStatus.RESOURCE_EXHAUSTED, grpcMessage: "too many watchers (at most 3)", rstCode: 0 });
    streams[0]!.close(http2.constants.NGHTTP2_CANCEL);
    await new Promise((resolve) => streams[0]!.once("close", resolve));
    while (server.openCalls(WATCH) > 2) await new Promise((resolve) => setImmediate(resolve));
    const admitted = await rawCall(session, WATCH, { body: [EMPTY_REQUEST], stopAfterBytes: 1 });
    expect(admitted.data.length).toBeGreaterThan(0);
    expect(admitted.grpcStatus).toBeUndefined();
  });

  it("prints no MaxListenersExceededWarning with 20 calls open at once", async () => {
    await start({}, 50);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const streams = await Promise.all(
        Array.from({ length: 20 }, () => {
          const stream = session.request({ ":method": "POST", ":path": WATCH, "content-type": "application/grpc+proto", te: "trailers" });
          stream.on("error", () => {});
          stream.end(EMPTY_REQUEST);
          return new Promise<http2.ClientHttp2Stream>((resolve) => stream.once("data", () => resolve(stream)));
        }),
      );
      await server.close();
      await Promise.all(streams.map((s) => new Promise((resolve) => (s.closed ? resolve(undefined) : s.once("close", resolve)))));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe("a bearer token", () => {
  beforeEach(() => start({ token: "s3cret" }));

  it.each([
    ["no authorization", {}],
    ["a wrong token", { authorization: "Bearer nope" }],
    ["another scheme", { authorization: "Basic s3cret" }],
  ])("refuses a call with %s: UNAUTHENTICATED", async (_, headers) => {
    const result = await rawCall(session, UNARY, { headers, body: [EMPTY_REQUEST] });
    expect(result).toMatchObject({
      grpcStatus: GrpcStatus.UNAUTHENTICATED,
      grpcMessage: "this console server requires a token: send gRPC metadata authorization: Bearer <token>",
      rstCode: 0,
    });
  });

  it("accepts the right token", async () => {
    const result = await rawCall(session, UNARY, { headers: { authorization: "Bearer s3cret" }, body: [EMPTY_REQUEST] });
    expect(result.grpcStatus).toBe(GrpcStatus.OK);
  });
});

it("ends a client that reads nothing with RESOURCE_EXHAUSTED and the reason, not OK", async () => {
  server = new GrpcServer({ stallTimeoutMs: 300, endGraceMs: 20_000 });
  const big = create(UpdateSchema, {
    taskUpdate: { newTasks: [{ fields: [{ name: { case: "strName", value: "x" }, value: { case: "strVal", value: "y".repeat(512 * 1024) } }] }] },
  });
  server.serverStream(WATCH, InstrumentRequestSchema, UpdateSchema, async function* (_, ctx) {
    while (!ctx.signal.aborted) yield big;
  });
  const { port } = await server.listen(0, "127.0.0.1");
  session = http2.connect(`http://127.0.0.1:${port}`);
  const stream = session.request({ ":method": "POST", ":path": WATCH, "content-type": "application/grpc+proto", te: "trailers" });
  stream.end(EMPTY_REQUEST);
  stream.pause();
  let trailers: http2.IncomingHttpHeaders = {};
  stream.on("trailers", (t) => (trailers = t));
  // Read nothing until the server has given up on us, then read everything.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  stream.resume();
  await new Promise((resolve) => stream.once("close", resolve));
  expect(trailers["grpc-status"]).toBe(String(GrpcStatus.RESOURCE_EXHAUSTED));
  expect(decodeURIComponent(String(trailers["grpc-message"]))).toBe(
    "the client took nothing for 0.3 s; the call was ended so the server does not buffer for it (reconnect for a fresh start)",
  );
});
