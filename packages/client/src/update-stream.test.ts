import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { GrpcError, GrpcStatus, parseGrpcStatus } from "@async-insight/protocol/grpc";
import { describe, expect, it } from "vitest";
import { updateSections, UpdateSchema, type Update } from "@async-insight/protocol";
// The protocol's shared fixture; it is test data, so it is not exported from the package.
import { richUpdate } from "../../protocol/src/testdata/rich-update.js";
import type { CallChunks } from "./private/grpc-call.js";
import { MessageTooLargeError } from "./private/message-limit.js";
import { readUpdates, replacementSize, WATCH_UPDATES_PATH } from "./update-stream.js";

function frame(message: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + message.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** A server that answers with `body` cut into chunks of `chunk` bytes, then a grpc-status of `status`. */
/** A call that answers with `body` cut into chunks of `chunk` bytes, then ends with grpc-status `status`, as grpc-call.ts does. */
function server(body: Uint8Array, chunk: number, status = "0"): CallChunks {
  return async function* (path) {
    expect(path).toBe(WATCH_UPDATES_PATH);
    for (let i = 0; i < body.length; i += chunk) yield body.slice(i, i + chunk);
    const code = parseGrpcStatus(status);
    if (code !== GrpcStatus.OK) throw new GrpcError(code, "the target failed");
  };
}

const updates = (): Update[] => [
  richUpdate(),
  create(UpdateSchema, { now: { seconds: 2n }, taskUpdate: { statsUpdate: { "9": { wakes: 4n } } } }),
  richUpdate(),
  create(UpdateSchema, { now: { seconds: 4n } }),
];

async function collect(call: CallChunks, maxBytes = 1 << 20): Promise<Update[]> {
  const out: Update[] = [];
  for await (const update of readUpdates(call, new AbortController().signal, maxBytes)) out.push(update);
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
    for await (const update of readUpdates(server(body, 17), new AbortController().signal, 1 << 20)) {
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

  it("refuses a message over the limit with RESOURCE_EXHAUSTED, as its own limit", async () => {
    const error = await collect(server(body, 1000), 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect((error as MessageTooLargeError).code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect((error as MessageTooLargeError).limit).toBe(100);
  });

  it("reports a compressed message, a cut-off stream and an error status with gRPC's codes", async () => {
    const compressed = await collect(server(frame(new Uint8Array(1), 1), 10)).catch((e: unknown) => e);
    expect(compressed).toBeInstanceOf(GrpcError);
    expect((compressed as GrpcError).code).toBe(GrpcStatus.INTERNAL);
    const cut = await collect(server(body.subarray(0, body.length - 3), 10)).catch((e: unknown) => e);
    expect((cut as GrpcError).code).toBe(GrpcStatus.INTERNAL);
    expect((cut as GrpcError).message).toBe("protocol error: the call ended inside a message");
    const failed = await collect(server(new Uint8Array(0), 10, "14")).catch((e: unknown) => e);
    expect((failed as GrpcError).code).toBe(GrpcStatus.UNAVAILABLE);
  });

  it("sizes buffers for the messages arriving now, not for the largest one ever", () => {
    const MB = 1024 * 1024;
    // A message that does not fit gets a new buffer with a quarter to spare.
    expect(replacementSize(0, 56 * 1024)).toBe(71_680);
    expect(replacementSize(2 * MB, 3.5 * MB)).toBe(Math.ceil(3.5 * MB * 1.25));
    // The buffer the first 3.5 MB snapshot needed goes at the first update under a third of it...
    expect(replacementSize(4.375 * MB, 1.36 * MB)).toBe(Math.ceil(1.36 * MB * 1.25));
    // ...but one sized for the updates is reused as they vary between 1.1 and 2.2 MB.
    expect(replacementSize(2.75 * MB, 1.1 * MB)).toBeUndefined();
    expect(replacementSize(2.75 * MB, 2.2 * MB)).toBeUndefined();
    // Small buffers are always reused.
    expect(replacementSize(MB, 1000)).toBeUndefined();
  });
});
