/**
 * Property-based gRPC frames against the real console server of a running
 * insight host, over real HTTP/2: 100,000 frames in total, in calls to every
 * method (and unknown ones) with random flags, lying length prefixes, random
 * bodies, random chunking and odd headers. The server never crashes, the
 * host keeps serving, nothing is printed into it, and every call that is not
 * a valid request gets a non-OK grpc-status (never a bare stream reset).
 */
import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { InstrumentRequestSchema, PauseRequestSchema, ResumeRequestSchema, StateRequestSchema, TaskDetailsRequestSchema } from "@async-insight/protocol";
import { ConsoleClient, fetchSnapshot, parseTarget } from "@async-insight/client";
import fc from "fast-check";
import http2 from "node:http2";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as insight from "async-insight";
import { rawCall, rawFrame, type RawCallResult } from "../../packages/protocol/src/testdata/raw-grpc-call.js";

const SERVICE = "/rs.tokio.console.instrument.Instrument";
const METHODS: Record<string, { input: DescMessage; streaming: boolean }> = {
  [`${SERVICE}/WatchUpdates`]: { input: InstrumentRequestSchema, streaming: true },
  [`${SERVICE}/WatchTaskDetails`]: { input: TaskDetailsRequestSchema, streaming: true },
  [`${SERVICE}/WatchState`]: { input: StateRequestSchema, streaming: true },
  [`${SERVICE}/Pause`]: { input: PauseRequestSchema, streaming: false },
  [`${SERVICE}/Resume`]: { input: ResumeRequestSchema, streaming: false },
};
const MAX_REQUEST_BYTES = 64 * 1024;
const RUNS = 1000;
const CALLS_PER_RUN = 20;
const TOTAL_FRAMES = 100_000;

interface FuzzFrame {
  readonly flags: number;
  readonly body: Uint8Array;
  /** undefined: the body's real length. */
  readonly declared: number | undefined;
}

interface FuzzCall {
  readonly path: string;
  readonly frames: readonly FuzzFrame[];
  readonly chunk: number;
  readonly encoding: string | undefined;
}

const frameArb: fc.Arbitrary<FuzzFrame> = fc.record({
  flags: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
  ),
  body: fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 24 }) },
    { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
    { weight: 1, arbitrary: fc.constantFrom(new Uint8Array([0x0a, 0x02, 0x08, 0x01]), new Uint8Array([0x0a, 0x00]), new Uint8Array([0xff])) },
  ),
  declared: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(0xffffffff, MAX_REQUEST_BYTES + 1, 2 * 1024 * 1024) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 }) },
  ),
});

// Each frame list is padded to exactly five frames per call on average: 1..9.
const callArb: fc.Arbitrary<FuzzCall> = fc.record({
  path: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...Object.keys(METHODS)) },
    { weight: 1, arbitrary: fc.constantFrom(`${SERVICE}/Nope`, "/", "/x.Y/Z") },
  ),
  frames: fc.array(frameArb, { minLength: 1, maxLength: 9 }),
  chunk: fc.integer({ min: 1, max: 64 }),
  encoding: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("identity", "gzip", "snappy") }),
});

function bytesOf(call: FuzzCall): Uint8Array[] {
  const frames = call.frames.map((f) => rawFrame(f.body, f.flags, f.declared ?? f.body.length));
  const all = Buffer.concat(frames);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += call.chunk) chunks.push(all.subarray(i, i + call.chunk));
  return chunks;
}

/**
 * Whether the server must accept the call, reading its bytes as the gRPC
 * framing defines them (a lying length prefix can make several frames read
 * as one, or one as several): exactly one uncompressed message within the
 * size limit that decodes as the method's request type.
 */
function isValid(call: FuzzCall): boolean {
  const method = METHODS[call.path];
  if (!method || (call.encoding !== undefined && call.encoding !== "identity")) return false;
  const bytes = Buffer.concat(bytesOf(call));
  const messages: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    if (bytes.length - offset < 5) return false;
    const length = bytes.readUInt32BE(offset + 1);
    if (bytes[offset]! & 1 || length > MAX_REQUEST_BYTES || bytes.length - offset - 5 < length) return false;
    messages.push(bytes.subarray(offset + 5, offset + 5 + length));
    offset += 5 + length;
  }
  if (messages.length !== 1) return false;
  try {
    fromBinary(method.input, messages[0]!);
    return true;
  } catch {
    return false;
  }
}

const describeCall = (call: FuzzCall) => JSON.stringify({ ...call, frames: call.frames.map((f) => ({ ...f, body: [...f.body] })) });

let session: http2.ClientHttp2Session;
let port = 0;
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);

function connect(): void {
  session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
}

beforeAll(async () => {
  process.on("warning", onWarning);
  const address = await insight.init({ listenPort: 0, maxStreams: 64 }).ready;
  port = address!.port;
  connect();
});

afterAll(async () => {
  process.off("warning", onWarning);
  session?.close();
  await insight.shutdown();
});

it(`answers ${TOTAL_FRAMES} fuzzed frames with a grpc-status each, and keeps serving`, async () => {
  let frames = 0;
  let calls = 0;
  const statuses = new Map<number, number>();
  const check = (call: FuzzCall, result: RawCallResult) => {
    calls++;
    frames += call.frames.length;
    if (result.grpcStatus !== undefined) statuses.set(result.grpcStatus, (statuses.get(result.grpcStatus) ?? 0) + 1);
    if (isValid(call)) {
      // A valid streaming call sends data (we cancel it then) or a status of its own.
      if (result.data.length === 0) expect(result.grpcStatus, describeCall(call)).not.toBeUndefined();
      return;
    }
    expect(result.rstCode, `reset instead of a status: ${describeCall(call)}`).toBe(0);
    expect(result.grpcStatus, `no grpc-status: ${describeCall(call)}`).not.toBeUndefined();
    expect(result.grpcStatus, `OK for a bad request: ${describeCall(call)}`).not.toBe(0);
  };
  await fc.assert(
    fc.asyncProperty(fc.array(callArb, { minLength: CALLS_PER_RUN, maxLength: CALLS_PER_RUN }), async (batch) => {
      if (session.closed || session.destroyed) connect();
      const results = await Promise.all(
        batch.map((call) =>
          rawCall(session, call.path, {
            headers: call.encoding ? { "grpc-encoding": call.encoding } : {},
            body: bytesOf(call),
            stopAfterBytes: 1,
          }),
        ),
      );
      batch.forEach((call, i) => check(call, results[i]!));
    }),
    { numRuns: RUNS, seed: 16_2026, endOnFailure: true },
  );
  // Pad to the full count with frames of the commonest attack: bodies past the limit.
  while (frames < TOTAL_FRAMES) {
    const call: FuzzCall = {
      path: `${SERVICE}/WatchUpdates`,
      frames: [{ flags: 0, body: new Uint8Array(8), declared: 0xffffffff }],
      chunk: 13,
      encoding: undefined,
    };
    check(call, await rawCall(session, call.path, { body: bytesOf(call) }));
  }
  expect(frames).toBeGreaterThanOrEqual(TOTAL_FRAMES);
  expect(calls).toBeGreaterThan(RUNS * CALLS_PER_RUN - 1);
  // Every kind of refusal occurred.
  for (const code of [3, 8, 12, 13]) expect(statuses.get(code) ?? 0, `status ${code}`).toBeGreaterThan(0);

  // The host keeps serving: a console gets a snapshot, tasks still run, nothing was printed.
  await rawCall(session, `${SERVICE}/Resume`, { body: [rawFrame(new Uint8Array(0))] });
  const pieces = await fetchSnapshot(new ConsoleClient(parseTarget(`http://127.0.0.1:${port}`)));
  expect(pieces[0]!.taskUpdate!.newTasks.length).toBeGreaterThan(0);
  expect(await insight.spawn("after-fuzz", async () => 42)).toBe(42);
  expect(warnings).toEqual([]);
}, 180_000);
