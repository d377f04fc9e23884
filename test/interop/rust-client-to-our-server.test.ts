/**
 * Our server → Rust client. probe-client is built on the console-api crate's
 * generated tonic client with tonic's default 4 MiB decode limit, as
 * tokio-console is. It prints what it decoded as proto3 canonical JSON, which
 * we compare field by field with protobuf-es `toJson` of what we sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, toBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { StateSchema, Temporality, UpdateSchema, nanosToTimestamp, tasks, type Update } from "@async-insight/protocol";
import { splitUpdate, startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { freePort } from "../support/free-port.js";
import { jsonDifferences, jsonLeafCount } from "../support/json-diff.js";
import { runPeer, rustBin, startPeer, type Peer } from "../support/rust-peers.js";
import { scriptedSource } from "../support/scripted-source.js";
import { TASK_ID, deltaUpdate, fullSnapshot, fullTaskDetails } from "./full-messages.js";

interface ProbeOutput {
  updates: JsonValue[];
  states: JsonValue[];
  taskDetails: JsonValue[];
  unknownTaskCode: string;
}

const TONIC_DEFAULT_LIMIT = 4 * 1024 * 1024;
const LARGE_TASK_COUNT = 30_000;

const servers: RunningInstrumentServer[] = [];
const peers: Peer[] = [];

async function serve(updates: Update[], details = new Map<bigint, tasks.TaskDetails[]>(), maxUpdateBytes?: number): Promise<string> {
  const options = maxUpdateBytes === undefined ? {} : { maxUpdateBytes };
  const server = await startInstrumentServer(scriptedSource({ updates, taskDetails: details }), { port: 0 }, options);
  servers.push(server);
  return `http://127.0.0.1:${server.address.port}`;
}

async function probe(url: string, args: string[]): Promise<ProbeOutput> {
  const { stdout } = await runPeer(rustBin("probe-client"), [url, ...args], { timeoutMs: 90_000 });
  return JSON.parse(stdout) as ProbeOutput;
}

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await Promise.all(servers.map((s) => s.close()));
});

describe("the console-api crate's client reading our server", () => {
  const snapshot = fullSnapshot();
  const delta = deltaUpdate();
  const details = fullTaskDetails();
  let output: ProbeOutput;

  beforeAll(async () => {
    const url = await serve([snapshot, delta], new Map([[TASK_ID, details]]));
    output = await probe(url, ["--updates", "2", "--task-id", TASK_ID.toString(), "--details", "2", "--pause"]);
  });

  it("decodes every Update field as we encoded it", () => {
    const sent = [toJson(UpdateSchema, snapshot), toJson(UpdateSchema, delta)];
    expect(jsonDifferences(output.updates, sent)).toEqual([]);
    expect(output.updates).toEqual(sent);
    // The fixture really exercises the protocol: well over a hundred leaves.
    expect(jsonLeafCount(sent)).toBeGreaterThan(150);
  });

  it("keeps 64-bit ids and counters exact", () => {
    const first = output.updates[0] as { taskUpdate: { newTasks: { id: { id: string } }[]; droppedEvents: string } };
    expect(first.taskUpdate.newTasks[0]!.id.id).toBe("18446744073709551614");
    expect(first.taskUpdate.droppedEvents).toBe((2n ** 64n - 9n).toString());
  });

  it("keeps explicit-presence fields that are set to zero values", () => {
    const first = output.updates[0] as { taskUpdate: { newTasks: { location?: unknown }[] } };
    expect(first.taskUpdate.newTasks[1]!.location).toEqual({ file: "", line: 0, column: 0 });
  });

  it("carries enum values from a newer protocol as numbers", () => {
    const delta = output.updates[1] as {
      taskUpdate: { newTasks: { kind: unknown }[] };
      resourceUpdate: { newResources: { kind: { known: unknown } }[] };
    };
    expect(delta.taskUpdate.newTasks[0]!.kind).toBe(7);
    expect(delta.resourceUpdate.newResources[0]!.kind.known).toBe(42);
  });

  it("decodes TaskDetails with both poll-times arms and the histogram bytes intact", () => {
    const sent = details.map((d) => toJson(tasks.TaskDetailsSchema, d));
    expect(jsonDifferences(output.taskDetails, sent)).toEqual([]);
    expect(
      output.taskDetails.map((d) =>
        Object.keys(d as object)
          .filter((k) => k.endsWith("istogram"))
          .sort(),
      ),
    ).toEqual([
      ["histogram", "scheduledTimesHistogram"],
      ["legacyHistogram", "scheduledTimesHistogram"],
    ]);
  });

  it("sees WatchState follow Pause and Resume", () => {
    const live = toJson(StateSchema, create(StateSchema, { temporality: Temporality.LIVE }));
    const paused = toJson(StateSchema, create(StateSchema, { temporality: Temporality.PAUSED }));
    expect(paused).toEqual({ temporality: "PAUSED" });
    expect(output.states).toEqual([live, paused, live]);
  });

  it("gets NOT_FOUND for an unknown task, as from console-subscriber", () => {
    expect(output.unknownTaskCode).toBe("NotFound");
  });
});

describe("an unknown task id against the real console-subscriber", () => {
  it("gives the same status code as our server", async () => {
    const port = await freePort();
    const app = startPeer(rustBin("deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "600000" });
    peers.push(app);
    await app.waitForPort(port);
    const fromSubscriber = await probe(`http://127.0.0.1:${port}`, ["--updates", "1"]).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${app.describe()}`);
    });
    const ours = await probe(await serve([fullSnapshot()]), ["--updates", "1"]);
    expect(fromSubscriber.unknownTaskCode).toBe("NotFound");
    expect(ours.unknownTaskCode).toBe(fromSubscriber.unknownTaskCode);
    await app.stop();
  });
});

describe("a first snapshot larger than tonic's 4 MiB limit", () => {
  const taskIds = Array.from({ length: LARGE_TASK_COUNT }, (_, i) => 2n ** 60n + BigInt(i) * 3n);
  const now = nanosToTimestamp(1_700_000_000_000_000_000n);
  const big = create(UpdateSchema, {
    now,
    taskUpdate: {
      newTasks: taskIds.map((id, i) => ({
        id: { id },
        metadata: { id: 1n },
        fields: [
          { name: { case: "strName" as const, value: "task.name" }, value: { case: "strVal" as const, value: `bulk-task-${i}-${"x".repeat(40)}` } },
          { name: { case: "strName" as const, value: "spawn.index" }, value: { case: "u64Val" as const, value: BigInt(i) } },
        ],
        location: { file: `src/bulk/module_${i % 97}.rs`, modulePath: "bulk::tasks", line: i % 5000, column: 9 },
      })),
      statsUpdate: Object.fromEntries(taskIds.map((id) => [id.toString(), { createdAt: now, wakes: 1n, pollStats: { polls: 2n } }])),
    },
  });

  it("reaches a default-limit client completely, in several Updates", async () => {
    const encoded = toBinary(UpdateSchema, big).length;
    expect(encoded, "the snapshot must exceed tonic's limit to test anything").toBeGreaterThan(TONIC_DEFAULT_LIMIT);
    const pieces = splitUpdate(big).length;
    expect(pieces).toBeGreaterThan(1);

    const output = await probe(await serve([big]), ["--updates", String(pieces)]);

    expect(output.updates.length).toBeGreaterThan(1);
    const received = output.updates.flatMap((u) =>
      ((u as { taskUpdate?: { newTasks?: { id: { id: string } }[] } }).taskUpdate?.newTasks ?? []).map((t) => t.id.id),
    );
    expect(received.length).toBe(LARGE_TASK_COUNT);
    expect(new Set(received)).toEqual(new Set(taskIds.map(String)));
    const statsKeys = output.updates.flatMap((u) => Object.keys((u as { taskUpdate?: { statsUpdate?: object } }).taskUpdate?.statsUpdate ?? {}));
    expect(new Set(statsKeys)).toEqual(new Set(taskIds.map(String)));
    // Every piece is stamped with the snapshot's instant, so consoles can reassemble it.
    expect(new Set(output.updates.map((u) => (u as { now: string }).now))).toEqual(new Set([(toJson(UpdateSchema, big) as { now: string }).now]));
  });

  it("would be refused by that client if sent whole (control for the test above)", async () => {
    const url = await serve([big], new Map(), Number.MAX_SAFE_INTEGER);
    await expect(probe(url, ["--updates", "1"])).rejects.toThrow(/decoded message length too large/);
  });
});
