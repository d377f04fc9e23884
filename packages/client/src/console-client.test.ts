// The client against real sockets: what each kind of wrong target turns into, and that a call's end frees the connection.
import { createServer as createHttp1Server } from "node:http";
import { createServer, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from "node:http2";
import { connect, createServer as createTcpServer, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { StateSchema, Temporality, UpdateSchema } from "@async-insight/protocol";
import { GrpcError, GrpcStatus } from "@async-insight/protocol/grpc";
import { GrpcServer, registerInstrumentService } from "@async-insight/protocol/server";
import { ConsoleClient } from "./console-client.js";
import { describeConnectionError } from "./describe-error.js";
import { PingTimeoutError } from "./private/http2-channel.js";
import { parseTarget } from "./target.js";

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function listen(server: Server | Http2Server | ReturnType<typeof createHttp1Server>): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    closers.push(() => new Promise<void>((done) => server.close(() => done())));
  });
}

/** An HTTP/2 server that answers every stream with `answer`. */
async function h2(answer: (stream: ServerHttp2Stream) => void): Promise<ConsoleClient> {
  const server = createServer();
  server.on("stream", answer);
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session) => sessions.add(session));
  const port = await listen(server);
  closers.push(() => {
    for (const session of sessions) session.destroy();
  });
  return new ConsoleClient(parseTarget(String(port)));
}

async function firstError(client: ConsoleClient, signal = new AbortController().signal): Promise<unknown> {
  try {
    for await (const _ of client.watchUpdates(signal)) return "an update";
    return "the end";
  } catch (error) {
    return error;
  }
}

describe("ConsoleClient against targets that are not console servers", () => {
  it("names a refused connection", async () => {
    const probe = createTcpServer();
    const port = await listen(probe);
    await new Promise<void>((done) => probe.close(() => done()));
    closers.pop();
    const client = new ConsoleClient(parseTarget(String(port)));
    expect(describeConnectionError(await firstError(client), client.label)).toBe(`nothing is listening at http://127.0.0.1:${port} (connection refused)`);
  });

  it("says an HTTP/1 server is not one", async () => {
    const server = createHttp1Server((_, response) => response.end("hello"));
    const port = await listen(server);
    const client = new ConsoleClient(parseTarget(String(port)));
    const error = await firstError(client);
    expect(describeConnectionError(error, client.label)).toBe(
      `http://127.0.0.1:${port} is not a console server: it does not speak gRPC over HTTP/2 (an HTTP/2 protocol error)`,
    );
  });

  it("maps HTTP 404 to UNIMPLEMENTED, and a web page to a content-type error", async () => {
    const missing = await h2((stream) => stream.respond({ ":status": 404 }, { endStream: true }));
    const notFound = await firstError(missing);
    expect(notFound).toBeInstanceOf(GrpcError);
    expect((notFound as GrpcError).code).toBe(GrpcStatus.UNIMPLEMENTED);
    expect(describeConnectionError(notFound, missing.label)).toBe(`${missing.label} is not a console server: it does not implement the Instrument service`);

    const page = await h2((stream) => {
      stream.respond({ ":status": 200, "content-type": "text/html" });
      stream.end("<html></html>");
    });
    expect(describeConnectionError(await firstError(page), page.label)).toBe(
      `${page.label} is not a console server (the target answered with content-type "text/html", not a gRPC response)`,
    );
  });

  it("reads a trailers-only error with its percent-encoded message", async () => {
    const client = await h2((stream) =>
      stream.respond(
        { ":status": 200, "content-type": "application/grpc", "grpc-status": "16", "grpc-message": "needs a token %E2%9C%93" },
        { endStream: true },
      ),
    );
    const error = await firstError(client);
    expect(error).toBeInstanceOf(GrpcError);
    expect((error as GrpcError).code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect((error as GrpcError).message).toBe("needs a token ✓");
  });

  it("reads the status from the trailers, and a stream that ends without one is a protocol error", async () => {
    const failing = await h2((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "8", "grpc-message": "too many consoles" }));
      stream.end();
    });
    expect(describeConnectionError(await firstError(failing), failing.label)).toBe(`${failing.label} ended the stream: too many consoles`);

    const silent = await h2((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.end();
    });
    expect((await firstError(silent)) as GrpcError).toMatchObject({
      code: GrpcStatus.INTERNAL,
      message: "protocol error: the call ended without a grpc-status",
    });
  });

  it("ends the calls of a target that stops answering pings", async () => {
    // The target's process hangs after answering: a proxy in front of it stops passing bytes either way.
    let freeze = () => {};
    const server = createServer();
    server.on("stream", (stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      setTimeout(() => freeze(), 20);
    });
    const serverPort = await listen(server);
    const proxy = createTcpServer((socket) => {
      const upstream = connect(serverPort, "127.0.0.1");
      socket.pipe(upstream);
      upstream.pipe(socket);
      freeze = () => {
        socket.unpipe(upstream);
        upstream.unpipe(socket);
      };
      closers.push(() => {
        socket.destroy();
        upstream.destroy();
      });
    });
    const port = await listen(proxy);
    const client = new ConsoleClient(parseTarget(String(port)), { pingIntervalMs: 50, pingTimeoutMs: 100 });
    const error = await firstError(client);
    expect(error).toBeInstanceOf(PingTimeoutError);
    expect(describeConnectionError(error, client.label)).toBe(`${client.label} stopped answering: no answer to a ping within 0.1s`);
  });
});

describe("ConsoleClient against a console server", () => {
  it("reads updates and state, cancels the server's stream when the console stops, and calls again on the same connection", async () => {
    const aborted: string[] = [];
    let paused = 0;
    const wait = (signal: AbortSignal, what: string) =>
      new Promise<void>((resolve) =>
        signal.addEventListener("abort", () => {
          aborted.push(what);
          resolve();
        }),
      );
    const server = new GrpcServer();
    registerInstrumentService(server, {
      async *watchUpdates(signal) {
        yield create(UpdateSchema, { now: { seconds: 7n } });
        await wait(signal, "updates");
      },
      async *watchState(signal) {
        yield create(StateSchema, { temporality: Temporality.PAUSED });
        await wait(signal, "state");
      },
      async *watchTaskDetails() {},
      pause: () => {
        paused++;
      },
      resume: () => {},
    });
    const address = await server.listen(0, "127.0.0.1");
    closers.push(() => server.close());
    const client = new ConsoleClient(parseTarget(String(address.port)));

    const stop = new AbortController();
    const updates = client.watchUpdates(stop.signal)[Symbol.asyncIterator]();
    expect((await updates.next()).value?.now?.seconds).toBe(7n);
    stop.abort();
    await expect(updates.next()).rejects.toMatchObject({ name: "AbortError" });
    const stopState = new AbortController();
    const states = client.watchState(stopState.signal)[Symbol.asyncIterator]();
    expect((await states.next()).value?.temporality).toBe(Temporality.PAUSED);
    await states.return?.();
    await client.pause();
    expect(paused).toBe(1);
    await waitFor(() => aborted.length === 2);
    expect(aborted.sort()).toEqual(["state", "updates"]);
    const missing = await firstTaskDetailsError(client);
    expect(missing).toBe("the end");
  });
});

async function firstTaskDetailsError(client: ConsoleClient): Promise<unknown> {
  try {
    for await (const _ of client.watchTaskDetails(1n, new AbortController().signal)) return "details";
    return "the end";
  } catch (error) {
    return error;
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
