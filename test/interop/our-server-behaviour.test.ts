/**
 * What our gRPC server does on the wire, seen by a raw node:http2 client that
 * assumes nothing a gRPC library would paper over: when headers go out, how
 * errors are reported, and that a client reconnects across a server restart.
 */
import * as http2 from "node:http2";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { create, toBinary } from "@bufbuild/protobuf";
import { GrpcStatus } from "@async-insight/protocol/grpc";
import { TaskDetailsRequestSchema, UpdateSchema, nanosToTimestamp, type Update } from "@async-insight/protocol";
import { ConsoleClient, MessageTooLargeError, parseTarget, watchTarget, type ConnectionState, type TargetWatch } from "@async-insight/client";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { scriptedSource } from "../support/scripted-source.js";
import { take } from "../support/streams.js";
import { waitFor } from "../support/wait-for.js";

const INSTRUMENT = "/rs.tokio.console.instrument.Instrument";

const servers: RunningInstrumentServer[] = [];
const sessions: http2.ClientHttp2Session[] = [];
let watch: TargetWatch | undefined;

afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});
afterAll(async () => {
  watch?.stop();
  await watch?.done;
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(updates: Update[] = [], port = 0, maxUpdateBytes?: number): Promise<RunningInstrumentServer> {
  const server = await startInstrumentServer(scriptedSource({ updates }), { port }, maxUpdateBytes ? { maxUpdateBytes } : {});
  servers.push(server);
  return server;
}

function snapshotAt(seconds: number) {
  return create(UpdateSchema, { now: nanosToTimestamp(BigInt(seconds) * 1_000_000_000n) });
}

function frame(message: Uint8Array, flags = 0): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt8(flags, 0);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

interface RawCall {
  headers?: http2.IncomingHttpHeaders;
  trailers?: http2.IncomingHttpHeaders;
  data: Buffer[];
  ended: boolean;
  stream: http2.ClientHttp2Stream;
}

/** Opens one request on a fresh connection and records everything that comes back. */
function rawCall(port: number, path: string, body: Buffer, contentType = "application/grpc"): RawCall {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  sessions.push(session);
  const stream = session.request({ ":method": "POST", ":path": path, "content-type": contentType, te: "trailers" });
  const call: RawCall = { data: [], ended: false, stream };
  stream.on("response", (headers) => (call.headers = headers));
  stream.on("trailers", (trailers) => (call.trailers = trailers));
  stream.on("data", (chunk: Buffer) => call.data.push(chunk));
  stream.on("end", () => (call.ended = true));
  stream.on("error", () => {});
  stream.end(body);
  return call;
}

/** grpc-status from the trailers, or from the headers of a trailers-only response. */
async function statusOf(call: RawCall): Promise<{ status: string; message: string }> {
  await waitFor(() => call.ended, { description: "the call to end", timeoutMs: 10_000 });
  const source = call.trailers?.["grpc-status"] !== undefined ? call.trailers : call.headers;
  return { status: String(source?.["grpc-status"]), message: decodeURIComponent(String(source?.["grpc-message"] ?? "")) };
}

describe("our gRPC server on the wire", () => {
  it("sends WatchUpdates response headers before it has any message", async () => {
    const server = await serve([]);
    const call = rawCall(server.address.port, `${INSTRUMENT}/WatchUpdates`, frame(new Uint8Array()));
    const headers = await waitFor(() => call.headers, { description: "response headers", timeoutMs: 10_000 });
    expect(headers[":status"]).toBe(200);
    expect(headers["content-type"]).toMatch(/^application\/grpc/);
    expect(headers["grpc-status"]).toBeUndefined();
    expect(call.data).toEqual([]);
    expect(call.ended).toBe(false);
  });

  it("answers an unknown method with UNIMPLEMENTED (12)", async () => {
    const server = await serve();
    const call = rawCall(server.address.port, `${INSTRUMENT}/WatchEverything`, frame(new Uint8Array()));
    const { status, message } = await statusOf(call);
    expect(status).toBe("12");
    expect(message).toContain("WatchEverything");
  });

  it("answers an unknown service with UNIMPLEMENTED (12)", async () => {
    const server = await serve();
    const call = rawCall(server.address.port, "/grpc.health.v1.Health/Check", frame(new Uint8Array()));
    expect((await statusOf(call)).status).toBe("12");
  });

  it("answers a non-gRPC request with HTTP 415", async () => {
    const server = await serve();
    const call = rawCall(server.address.port, `${INSTRUMENT}/WatchUpdates`, Buffer.from("{}"), "application/json");
    await waitFor(() => call.ended, { description: "the response to end" });
    expect(call.headers?.[":status"]).toBe(415);
    expect(Buffer.concat(call.data).toString()).toMatch(/gRPC/);
  });

  // INTERNAL, as tonic (console-subscriber's server) answers a message it cannot decode.
  it("answers a request that is not valid protobuf with INTERNAL (13)", async () => {
    const server = await serve();
    // Field 1, length-delimited, claiming 100 bytes that are not there.
    const call = rawCall(server.address.port, `${INSTRUMENT}/WatchTaskDetails`, frame(new Uint8Array([0x0a, 100, 1, 2])));
    expect((await statusOf(call)).status).toBe("13");
  });

  it("answers a truncated gRPC frame with INTERNAL (13)", async () => {
    const server = await serve();
    const request = frame(toBinary(TaskDetailsRequestSchema, create(TaskDetailsRequestSchema, { id: { id: 7n } })));
    const call = rawCall(server.address.port, `${INSTRUMENT}/WatchTaskDetails`, request.subarray(0, request.length - 1));
    const { status, message } = await statusOf(call);
    expect(status).toBe("13");
    expect(message).toMatch(/incomplete gRPC frame/);
  });

  it("answers WatchTaskDetails without a task id with INVALID_ARGUMENT (3)", async () => {
    const server = await serve();
    const call = rawCall(server.address.port, `${INSTRUMENT}/WatchTaskDetails`, frame(new Uint8Array()));
    expect((await statusOf(call)).status).toBe("3");
  });
});

describe("our client and a single Update past 4 MiB", () => {
  const TASKS = 20_000;
  const huge = create(UpdateSchema, {
    now: nanosToTimestamp(1n),
    taskUpdate: {
      newTasks: Array.from({ length: TASKS }, (_, i) => ({
        id: { id: BigInt(i + 1) },
        location: { file: `src/${"deep/".repeat(40)}task_${i}.rs`, line: i },
      })),
    },
  });

  it("accepts it by default (no 4 MiB cliff)", async () => {
    expect(toBinary(UpdateSchema, huge).length).toBeGreaterThan(4 * 1024 * 1024);
    const server = await serve([huge], 0, Number.MAX_SAFE_INTEGER);
    const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${server.address.port}`));
    const [update] = await take(client.watchUpdates(new AbortController().signal), 1);
    expect(update!.taskUpdate!.newTasks.length).toBe(TASKS);
    expect(update!.taskUpdate!.newTasks.at(-1)!.id!.id).toBe(BigInt(TASKS));
  });

  it("refuses it when configured with a smaller limit", async () => {
    const server = await serve([huge], 0, Number.MAX_SAFE_INTEGER);
    const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${server.address.port}`), { maxMessageBytes: 4 * 1024 * 1024 });
    const error = await take(client.watchUpdates(new AbortController().signal), 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect((error as MessageTooLargeError).code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });
});

describe("watchTarget across a server restart", () => {
  it("goes connected → reconnecting → connected on the same port", async () => {
    const first = await serve([snapshotAt(1)]);
    const port = first.address.port;
    const states: ConnectionState["status"][] = [];
    const seen: bigint[] = [];
    const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${port}`));
    watch = watchTarget(
      client,
      {
        onUpdate: (u) => seen.push(u.now!.seconds),
        onConnection: (s) => {
          // Repeated failed attempts while the server is down are one phase.
          if (states.at(-1) !== s.status) states.push(s.status);
        },
      },
      { initialMs: 50, maxMs: 200 },
    );
    await waitFor(() => states.includes("connected"), { description: "the first connection", detail: () => `states: ${states}` });

    await first.close();
    await waitFor(() => states.includes("reconnecting"), { description: "a reconnect", detail: () => `states: ${states}` });

    await serve([snapshotAt(2)], port);
    await waitFor(() => states.filter((s) => s === "connected").length === 2, {
      description: "the second connection",
      detail: () => `states: ${states}`,
    });
    expect(states).toEqual(["connecting", "connected", "reconnecting", "connected"]);
    expect(seen).toEqual([1n, 2n]);

    watch.stop();
    await watch.done;
    expect(states.at(-1)).toBe("closed");
  });
});
