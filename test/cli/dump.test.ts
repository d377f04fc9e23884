/**
 * `consolation dump`, run as a user runs it: the built binary against a real
 * HTTP/2 console server, against nothing, and against servers that are not
 * console servers.
 */
import { createServer as createHttp1Server, type Server } from "node:http";
import { createServer as createHttp2Server, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { expectOneLineError, runCli } from "./run-cli.js";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { scriptedSource } from "../support/scripted-source.js";

const nowTimestamp = () => nanosToTimestamp(BigInt(Date.now()) * 1_000_000n);

const BIG_TASK_SPAN = 2n ** 60n + 7n;

function fixtureSnapshot() {
  const now = nowTimestamp();
  const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
  const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });
  const bool = (name: string, value: boolean) => ({ name: { case: "strName" as const, value: name }, value: { case: "boolVal" as const, value } });
  return create(UpdateSchema, {
    now,
    newMetadata: {
      metadata: [
        { id: { id: 1n }, metadata: { name: "runtime.spawn", target: "insight::task", location: { file: "app/server.mjs", line: 10, column: 3 } } },
        { id: { id: 2n }, metadata: { name: "runtime.resource", target: "insight::sync" } },
        { id: { id: 3n }, metadata: { name: "runtime.resource.async_op", target: "insight::sync", location: { file: "app/worker.mjs", line: 22, column: 9 } } },
      ],
    },
    taskUpdate: {
      newTasks: [
        {
          id: { id: BIG_TASK_SPAN },
          metadata: { id: 1n },
          fields: [str("task.name", "dump-e2e-worker"), u64("task.id", 42n), str("kind", "task"), str("tenant", "acme")],
          location: { file: "app/server.mjs", line: 10, column: 3 },
        },
        { id: { id: 5n }, metadata: { id: 1n }, fields: [str("task.name", "line\nbreaker"), u64("task.id", 43n)] },
      ],
      statsUpdate: {
        [BIG_TASK_SPAN.toString()]: { createdAt: now, pollStats: { polls: 3n, busyTime: { nanos: 1500 } } },
        "5": { createdAt: now, pollStats: { polls: 1n } },
      },
    },
    resourceUpdate: {
      newResources: [
        {
          id: { id: 9n },
          metadata: { id: 2n },
          concreteType: "Mutex",
          kind: { kind: { case: "other", value: "Sync" } },
          location: { file: "app/state.mjs", line: 4, column: 1 },
        },
      ],
      statsUpdate: { "9": { createdAt: now, attributes: [{ field: bool("locked", true) }, { field: str("insight.name", "ledger") }] } },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 77n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 9n } },
        { id: { id: 78n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 9n } },
      ],
      statsUpdate: {
        "77": { createdAt: now, taskId: { id: BIG_TASK_SPAN }, attributes: [{ field: str("insight.reason", "waiting for lock") }] },
        // Finished: task 43 released the lock to it (woken_by is a task.id).
        "78": {
          createdAt: now,
          taskId: { id: 5n },
          attributes: [{ field: str("insight.reason", "waiting for lock") }, { field: u64("insight.woken_by", 42n) }],
        },
      },
    },
  });
}

let server: RunningInstrumentServer;
let http1: Server;
let http2: Http2Server;
const portOf = (s: Server | Http2Server) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  server = await startInstrumentServer(scriptedSource({ updates: [fixtureSnapshot()] }), { host: "127.0.0.1", port: 0 });
  http1 = createHttp1Server((_req, res) => res.end("hello"));
  http2 = createHttp2Server((_req, res) => {
    res.statusCode = 404;
    res.end("not here");
  });
  await Promise.all([
    new Promise<void>((resolve) => http1.listen(0, "127.0.0.1", resolve)),
    new Promise<void>((resolve) => http2.listen(0, "127.0.0.1", resolve)),
  ]);
});

afterAll(async () => {
  await server?.close();
  http1?.close();
  http2?.close();
});

describe("consolation dump", () => {
  it("prints tasks, resources and async ops as plain text", async () => {
    const result = await runCli(["dump", "--port", String(server.address.port)]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(`target: http://127.0.0.1:${server.address.port}`);
    expect(result.stdout).toContain("Tasks (2)");
    const worker = lines.find((l) => l.includes("dump-e2e-worker"));
    // It waits on a pending lock op: blocked, in the engine's words.
    expect(worker).toMatch(/^\s*42\s+blocked\s+dump-e2e-worker\s+task\s/);
    expect(worker).toContain("app/server.mjs:10:3");
    expect(worker).toContain("tenant=acme");
    // A newline inside a name must not split the row.
    expect(lines.some((l) => /^\s*43\s+idle\s+line\\nbreaker\s/.test(l))).toBe(true);
    expect(result.stdout).toContain("Resources (1)");
    expect(lines.find((l) => l.includes("Mutex") && l.includes("app/state.mjs:4:1"))).toContain("locked=true insight.name=ledger");
    // One id space: the TASK column names the task by task.id, never by its span id.
    expect(result.stdout).not.toContain(String(BIG_TASK_SPAN));
    expect(lines[1]).toBe("hidden: 1 finished async op (--all-ops)");
    expect(lines.filter((l) => l.includes("Mutex::lock"))).toEqual([
      ' 1  Mutex::lock         1  42 (dump-e2e-worker)  app/worker.mjs:22:9  insight.reason="waiting for lock"',
    ]);
  });

  it("shows finished async ops with --all-ops, each marked pending or finished", async () => {
    const result = await runCli(["dump", "--port", String(server.address.port), "--all-ops"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.filter((l) => l.includes("Mutex::lock"))).toEqual([
      ' 1  Mutex::lock         1  42 (dump-e2e-worker)  pending   app/worker.mjs:22:9  insight.reason="waiting for lock"',
      ' 2  Mutex::lock         1  43 (line\\nbreaker)    finished  app/worker.mjs:22:9  insight.reason="waiting for lock" insight.woken_by=42',
    ]);
  });

  it("gives machine output with --json, keeping ids above 2^53 exact", async () => {
    const result = await runCli(["dump", `http://127.0.0.1:${server.address.port}`, "--json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.target).toBe(`http://127.0.0.1:${server.address.port}`);
    const worker = json.tasks.find((t: { name: string }) => t.name === "dump-e2e-worker");
    expect(worker).toMatchObject({
      spanId: BIG_TASK_SPAN.toString(),
      id: "42",
      state: "blocked",
      polls: "3",
      busyNanos: "1500",
      fields: { tenant: { value: "acme" } },
    });
    expect(json.resources).toEqual([
      expect.objectContaining({
        id: "1",
        spanId: "9",
        concreteType: "Mutex",
        kind: "Sync",
        name: "ledger",
        attributes: { locked: { value: true }, "insight.name": { value: "ledger" } },
      }),
    ]);
    expect(json.asyncOps).toEqual([
      expect.objectContaining({
        id: "1",
        spanId: "77",
        source: "Mutex::lock",
        resourceId: "1",
        taskId: "42",
        pending: true,
        attributes: { "insight.reason": { value: "waiting for lock" } },
      }),
    ]);
    expect(json.hidden).toEqual({ tasks: 0, resources: 0, asyncOps: 1 });
  });

  it("carries finished ops in --json with --all-ops, pending false and woken_by as a number", async () => {
    const result = await runCli(["dump", `http://127.0.0.1:${server.address.port}`, "--json", "--all-ops"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.asyncOps.map((o: { spanId: string; taskId: string; pending: boolean }) => [o.spanId, o.taskId, o.pending])).toEqual([
      ["77", "42", true],
      ["78", "43", false],
    ]);
    expect(json.asyncOps[1].attributes["insight.woken_by"]).toEqual({ value: 42 });
  });

  it("says nothing is listening, in one line, and exits non-zero", async () => {
    const closed = createHttp1Server();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = portOf(closed);
    await new Promise((resolve) => closed.close(resolve));
    const result = await runCli(["dump", "--port", String(port)]);
    expect(result.code).not.toBe(0);
    expect(expectOneLineError(result)).toBe(`consolation: nothing is listening at http://127.0.0.1:${port} (connection refused)`);
    expect(result.stdout).toBe("");
  });

  it("says an HTTP/1 server is not a console server", async () => {
    const result = await runCli(["dump", "--port", String(portOf(http1)), "--timeout", "3"]);
    expect(result.code).not.toBe(0);
    expect(expectOneLineError(result)).toMatch(/not a console server/);
  });

  it("says an HTTP/2 server without the Instrument service is not a console server", async () => {
    const result = await runCli(["dump", "--port", String(portOf(http2)), "--timeout", "3"]);
    expect(result.code).not.toBe(0);
    expect(expectOneLineError(result)).toMatch(/not a console server/);
  });

  it.each([
    [["dump", "--port", "abc"], 'consolation: --port expects a port number, got "abc"'],
    [["dump", "ftp://host:1"], 'consolation: invalid target "ftp://host:1": scheme ftp: is not supported (use http:// or https://)'],
    [["dump", "--port", "70000"], 'consolation: --port expects a port number, got "70000"'],
    [["dump", "--port", "0"], "consolation: invalid port 0: expected 1-65535"],
  ])("rejects bad arguments %j with a clear message", async (args, message) => {
    const result = await runCli(args);
    expect(result.code).not.toBe(0);
    expect(expectOneLineError(result)).toBe(message);
  });
});
