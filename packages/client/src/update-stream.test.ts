import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UniversalClientFn } from "@connectrpc/connect/protocol";
import { describe, expect, it } from "vitest";
import { updateSections, UpdateSchema, type Update } from "@async-insight/protocol";
// The protocol's shared fixture; it is test data, so it is not exported from the package.
import { richUpdate } from "../../protocol/src/testdata/rich-update.js";
import { readUpdates } from "./update-stream.js";

function frame(message: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** A server that answers with `body` cut into chunks of `chunk` bytes, then a grpc-status of `status`. */
function server(body: Uint8Array, chunk: number, status = "0"): UniversalClientFn {
  return async () => ({
    status: 200,
    header: new Headers({ "content-type": "application/grpc" }),
    trailer: new Headers({ "grpc-status": status }),
    body: (async function* () {
      for (let i = 0; i < body.length; i += chunk) yield body.slice(i, i + chunk);
    })(),
  });
}

const updates = (): Update[] => [
  richUpdate(),
  create(UpdateSchema, { now: { seconds: 2n }, taskUpdate: { statsUpdate: { "9": { wakes: 4n } } } }),
  richUpdate(),
  create(UpdateSchema, { now: { seconds: 4n } }),
];

async function collect(http: UniversalClientFn, maxBytes = 1 << 20): Promise<Update[]> {
  const out: Update[] = [];
  for await (const update of readUpdates(http, "http://x/rs.tokio.console.instrument.Instrument/WatchUpdates", new AbortController().signal, maxBytes))
    out.push(update);
  return out;
}

describe("readUpdates()", () => {
  const sent = updates();
  const body = new Uint8Array(sent.flatMap((u) => [...frame(toBinary(UpdateSchema, u))]));

  it.each([1, 3, 5, 7, 64, 100_000])("reads every message whole from %i-byte chunks, each still intact after later ones reuse the buffer", async (chunk) => {
    const received = await collect(server(body, chunk));
    expect(received).toHaveLength(sent.length);
    received.forEach((update, i) => {
      expect(update).toStrictEqual(fromBinary(UpdateSchema, toBinary(UpdateSchema, sent[i]!)));
    });
  });

  it("keeps sections a reader walked readable after the buffer moved on", async () => {
    const held: Update[] = [];
    const walked: number[] = [];
    for await (const update of readUpdates(server(body, 17), "http://x/", new AbortController().signal, 1 << 20)) {
      let stats = 0;
      updateSections(update).tasks?.forEachStats(() => stats++);
      walked.push(stats);
      held.push(update);
    }
    const statsCounts = sent.map((u) => Object.keys(u.taskUpdate?.statsUpdate ?? {}).length);
    expect(walked).toEqual(statsCounts);
    expect(held.map((u) => Object.keys(u.taskUpdate?.statsUpdate ?? {}).length)).toEqual(statsCounts);
    held.forEach((update, i) => expect(update).toStrictEqual(fromBinary(UpdateSchema, toBinary(UpdateSchema, sent[i]!))));
  });

  it("refuses a message over the limit with ResourceExhausted", async () => {
    const error = await collect(server(body, 1000), 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.ResourceExhausted);
  });

  it("reports a compressed message, a cut-off stream and an error status as Connect would", async () => {
    const compressed = await collect(server(frame(new Uint8Array(1), 1), 10)).catch((e: unknown) => e);
    expect((compressed as ConnectError).code).toBe(Code.Internal);
    const cut = await collect(server(body.subarray(0, body.length - 3), 10)).catch((e: unknown) => e);
    expect((cut as ConnectError).code).toBe(Code.InvalidArgument);
    const failed = await collect(server(new Uint8Array(0), 10, "14")).catch((e: unknown) => e);
    expect((failed as ConnectError).code).toBe(Code.Unavailable);
  });
});
