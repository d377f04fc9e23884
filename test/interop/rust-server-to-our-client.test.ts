/**
 * Rust server → our client. fixture-server serves fixed console-api messages
 * through the console-api crate's generated tonic services; it also prints the
 * same messages as proto3 canonical JSON, rendered by the Rust side. We decode
 * what arrives over the wire with protobuf-es and require `toJson` of every
 * message to equal the Rust rendering exactly. Two independent codecs agreeing
 * is the point: a wrong field number or type cannot survive it.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { GrpcError, grpcStatusName } from "@async-insight/protocol/grpc";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { decodeHdrHistogram, StateSchema, Temporality, UpdateSchema, tasks, trace } from "@async-insight/protocol";
import { ConsoleClient, parseTarget } from "@async-insight/client";
import { runPeer, rustBin, startFixtureServer, type Peer } from "../support/rust-peers.js";
import { StreamReader, take } from "../support/streams.js";
import { waitFor } from "../support/wait-for.js";

interface Expected {
  updates: JsonValue[];
  taskDetails: JsonValue[];
  states: JsonValue[];
  traceEvents: JsonValue[];
}

// Mirrors interop/console-json/src/fixtures.rs.
const TASK_ID = 2n ** 64n - 2n;
const BIG = 2n ** 53n + 1n;

interface Vector {
  name: string;
  base64: string;
  totalCount: string;
  min: string;
  max: string;
  recorded: { value: string; count: string }[];
}
const vectors: Vector[] = JSON.parse(readFileSync(new URL("../../packages/protocol/src/testdata/hdr-vectors.json", import.meta.url), "utf8"));
const pollVector = vectors.find((v) => v.name === "subscriber-poll-times")!;

let fixture: { peer: Peer; url: string } | undefined;
let expected: Expected;
let client: ConsoleClient;
const aborts: AbortController[] = [];

/** A signal cancelled in afterAll, so no stream outlives the suite. */
function signal(): AbortSignal {
  const abort = new AbortController();
  aborts.push(abort);
  return abort.signal;
}

function peerContext(): string {
  return fixture ? fixture.peer.describe() : "fixture-server did not start";
}

beforeAll(async () => {
  // Started one after the other so a failure in the second never orphans the first.
  fixture = await startFixtureServer();
  expected = JSON.parse((await runPeer(rustBin("fixture-server"), ["expected"])).stdout);
  client = new ConsoleClient(parseTarget(fixture.url));
});

afterAll(async () => {
  for (const abort of aborts) abort.abort();
  await fixture?.peer.stop();
});

describe("our client against the console-api crate's server", () => {
  it("has a non-trivial expectation to compare with", () => {
    expect(expected.updates).toHaveLength(2);
    expect(expected.taskDetails).toHaveLength(2);
    expect(expected.states).toHaveLength(2);
    expect(expected.traceEvents).toHaveLength(6);
  });

  it("decodes WatchUpdates exactly", async () => {
    const updates = await take(client.watchUpdates(signal()), expected.updates.length);
    expect(
      updates.map((u) => toJson(UpdateSchema, u)),
      peerContext(),
    ).toEqual(expected.updates);

    // Spot checks in bigint, the form the rest of the code uses.
    const [first] = updates;
    expect(first!.taskUpdate!.newTasks.map((t) => t.id!.id)).toEqual([TASK_ID, BIG + 2n]);
    expect(Object.keys(first!.taskUpdate!.statsUpdate).sort()).toEqual([String(BIG + 2n), String(TASK_ID)].sort());
    const fields = first!.taskUpdate!.newTasks[0]!.fields;
    expect(fields.map((f) => f.name.case)).toEqual(["strName", "nameIdx", "strName", "strName", "strName"]);
    expect(fields.map((f) => f.value.case)).toEqual(["strVal", "debugVal", "u64Val", "i64Val", "boolVal"]);
    expect(fields[2]!.value.value).toBe(2n ** 63n + 5n);
    expect(fields[3]!.value.value).toBe(-BIG);
    expect(first!.resourceUpdate!.newResources.map((r) => r.kind!.kind.case)).toEqual(["known", "other"]);
  });

  it("decodes WatchTaskDetails, both poll-times arms, exactly", async () => {
    const details = await take(client.watchTaskDetails(TASK_ID, signal()), expected.taskDetails.length);
    expect(
      details.map((d) => toJson(tasks.TaskDetailsSchema, d)),
      peerContext(),
    ).toEqual(expected.taskDetails);
    expect(details.map((d) => d.pollTimesHistogram.case)).toEqual(["histogram", "legacyHistogram"]);
    expect(details.every((d) => d.taskId?.id === TASK_ID)).toBe(true);
  });

  it("decodes the HdrHistograms inside TaskDetails", async () => {
    const [modern, legacy] = await take(client.watchTaskDetails(TASK_ID, signal()), 2);
    const arms = [modern!.pollTimesHistogram, legacy!.pollTimesHistogram];
    const rawPolls = arms.map((arm) => {
      if (arm.case === "histogram") return arm.value.rawHistogram;
      if (arm.case === "legacyHistogram") return arm.value;
      throw new Error(`poll-times histogram missing: ${String(arm.case)}`);
    });
    for (const raw of rawPolls) {
      const h = decodeHdrHistogram(raw);
      expect(h.totalCount.toString()).toBe(pollVector.totalCount);
      expect(h.min().toString()).toBe(pollVector.min);
      expect(h.max().toString()).toBe(pollVector.max);
      expect(h.recorded().map((r) => ({ value: r.value.toString(), count: r.count.toString() }))).toEqual(pollVector.recorded);
    }
    if (modern!.pollTimesHistogram.case !== "histogram") throw new Error("first detail should carry the modern arm");
    // The subscriber's max_value is the crate's max(), i.e. the decoded max.
    expect(modern!.pollTimesHistogram.value.maxValue).toBe(decodeHdrHistogram(rawPolls[0]!).max());

    const scheduled = decodeHdrHistogram(modern!.scheduledTimesHistogram!.rawHistogram);
    expect(scheduled.totalCount).toBe(1n);
    expect(scheduled.recorded()).toEqual([{ value: 77n, count: 1n }]);
    expect(modern!.scheduledTimesHistogram!.maxValue).toBe(77n);
  });

  it("surfaces the server's errors for a missing and an unknown task id", async () => {
    const codeOf = async (id: bigint) => {
      try {
        await take(client.watchTaskDetails(id, signal()), 1);
        return "no error";
      } catch (error) {
        return error instanceof GrpcError ? grpcStatusName(error.code) : String(error);
      }
    };
    expect(await codeOf(424_242n)).toBe("NOT_FOUND");
    expect(await codeOf(0n)).toBe("INVALID_ARGUMENT");
  });

  it("follows WatchState through Pause and Resume", async () => {
    const states = new StreamReader(client.watchState(signal()));
    try {
      const seen = [await states.next()];
      await client.pause();
      seen.push(await states.next());
      await client.resume();
      seen.push(await states.next());
      expect(seen.map((s) => s.temporality)).toEqual([Temporality.LIVE, Temporality.PAUSED, Temporality.LIVE]);
      expect(
        seen.map((s) => toJson(StateSchema, s)),
        peerContext(),
      ).toEqual([expected.states[0], expected.states[1], expected.states[0]]);
    } finally {
      states.close();
    }
    // The peer logs each call to stderr; the pipe may deliver the last line after the RPC returned.
    await waitFor(() => /paused\nresumed/.test(fixture!.peer.stderr), { description: "the fixture server to log pause then resume", detail: peerContext });
  });

  it("decodes the Trace service's events exactly", async () => {
    const traceClient = createClient(trace.Trace, createGrpcTransport({ baseUrl: fixture!.url }));
    const events = await take(traceClient.watch({}, { signal: signal() }), expected.traceEvents.length);
    expect(
      events.map((e) => toJson(trace.TraceEventSchema, e)),
      peerContext(),
    ).toEqual(expected.traceEvents);
    expect(events.map((e) => e.event.case)).toEqual(["registerThread", "registerMetadata", "newSpan", "enterSpan", "exitSpan", "closeSpan"]);
    const threads = events[0]!.event;
    if (threads.case !== "registerThread") throw new Error("first event should register threads");
    expect(threads.value.names[BIG.toString()]).toBe("worker-1");
  });
});
