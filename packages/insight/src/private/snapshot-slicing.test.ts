import type { Update } from "@async-insight/protocol";
import { GrpcError, GrpcStatus } from "@async-insight/protocol/server";
import { describe, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { RuntimeInstrumentSource } from "./instrument-source.js";
import { MAX_CLOSED_RETAINED, Runtime } from "./runtime.js";

const taskIds = (update: Update) => (update.taskUpdate?.newTasks ?? []).map((t) => Number(t.id?.id));

describe("a console's snapshot of a large state", () => {
  it("is built across many macrotasks, each slice bounded, every record exactly once, all pieces stamped alike", async () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const created = Array.from({ length: 20_000 }, (_, i) => rt.createTask(`t${i}`, "task", {}, undefined, undefined).spanId);
    const source = new RuntimeInstrumentSource(rt, { sliceBudget: { maxMs: 10_000, maxRecords: 500 } });
    const abort = new AbortController();
    // A macrotask counter: it advances only when the event loop gets a turn.
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const turnsAtPiece: number[] = [];
    const pieces: Update[] = [];
    for await (const piece of source.watchUpdates(abort.signal)) {
      pieces.push(piece);
      turnsAtPiece.push(turns);
      if (pieces.length === 40) break;
    }
    ticking = false;
    abort.abort();
    expect(pieces).toHaveLength(40);
    expect(pieces.map((p) => taskIds(p).length)).toEqual(Array(40).fill(500));
    expect(pieces.flatMap(taskIds)).toEqual(created);
    expect(new Set(pieces.map((p) => `${p.now?.seconds}.${p.now?.nanos}`)).size).toBe(1);
    // The event loop ran between every two slices.
    for (let i = 1; i < turnsAtPiece.length; i++) expect(turnsAtPiece[i]!).toBeGreaterThan(turnsAtPiece[i - 1]!);
    // Metadata rides on the first slice only (nothing new was registered later).
    expect(pieces[0]!.newMetadata?.metadata.length).toBeGreaterThan(0);
    expect(pieces.slice(1).every((p) => p.newMetadata === undefined)).toBe(true);
  });

  it("leaves out of a delta built mid-snapshot the records the snapshot read later (they are newer there)", async () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const tasks = Array.from({ length: 10 }, (_, i) => rt.createTask(`t${i}`, "task", {}, undefined, undefined));
    rt.clearDeltas();
    const source = new RuntimeInstrumentSource(rt, { sliceBudget: { maxMs: 10_000, maxRecords: 4 } });
    const abort = new AbortController();
    const stream = source.watchUpdates(abort.signal)[Symbol.asyncIterator]();
    const first = (await stream.next()).value as Update;
    expect(taskIds(first)).toEqual(tasks.slice(0, 4).map((t) => t.spanId));
    // Both change now; the delta carries both, but t8 is still to be sliced.
    rt.poll(tasks[1]!, 1, 2);
    rt.completeTask(tasks[8]!);
    source.tick();
    const rest: Update[] = [];
    for (let i = 0; i < 4; i++) rest.push((await stream.next()).value as Update);
    abort.abort();
    expect(rest.slice(0, 2).flatMap(taskIds)).toEqual(tasks.slice(4).map((t) => t.spanId));
    const fromSnapshot = rest[1]!.taskUpdate!.statsUpdate[String(tasks[8]!.spanId)];
    expect(fromSnapshot?.droppedAt).not.toBeUndefined();
    // The snapshot's end: an empty update of a later instant.
    const end = rest[2]!;
    expect([end.taskUpdate, end.resourceUpdate, end.asyncOpUpdate]).toEqual([undefined, undefined, undefined]);
    expect(end.now!.seconds * 1_000_000_000n + BigInt(end.now!.nanos)).toBeGreaterThan(first.now!.seconds * 1_000_000_000n + BigInt(first.now!.nanos));
    const delta = rest[3]!;
    expect(Object.keys(delta.taskUpdate!.statsUpdate)).toEqual([String(tasks[1]!.spanId)]);
  });
});

describe("consoles attaching while a snapshot is built", () => {
  it("share its pieces, and one that joins late gets the deltas published since it began", async () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const tasks = Array.from({ length: 12 }, (_, i) => rt.createTask(`t${i}`, "task", {}, undefined, undefined));
    rt.clearDeltas();
    const source = new RuntimeInstrumentSource(rt, { sliceBudget: { maxMs: 10_000, maxRecords: 4 } });
    const abort = new AbortController();
    const early = source.watchUpdates(abort.signal)[Symbol.asyncIterator]();
    const earlyFirst = (await early.next()).value as Update;
    // Published mid-build: t1 polled (already sent), t9 completed (not yet sent).
    rt.poll(tasks[1]!, 1, 2);
    rt.completeTask(tasks[9]!);
    source.tick();
    const late = source.watchUpdates(abort.signal)[Symbol.asyncIterator]();
    const read = async (stream: AsyncIterator<Update>, count: number) => {
      const out: Update[] = [];
      for (let i = 0; i < count; i++) out.push((await stream.next()).value as Update);
      return out;
    };
    // Three pieces, the end marker, the delta.
    const earlyRest = await read(early, 4);
    const lateAll = await read(late, 5);
    abort.abort();
    // The same piece objects: built once.
    expect(lateAll.slice(0, 3)).toEqual([earlyFirst, ...earlyRest.slice(0, 2)]);
    lateAll.slice(0, 3).forEach((piece, i) => expect(piece).toBe([earlyFirst, ...earlyRest][i]));
    expect(lateAll.slice(0, 3).flatMap(taskIds)).toEqual(tasks.map((t) => t.spanId));
    // Both get the delta, without t9 (the snapshot read it after the delta, so its copy is newer).
    for (const delta of [earlyRest[3]!, lateAll[4]!]) expect(Object.keys(delta.taskUpdate!.statsUpdate)).toEqual([String(tasks[1]!.spanId)]);
  });
});

it("keeps at most MAX_CLOSED_RETAINED finished tasks however many finished (retention does not grow with uptime)", () => {
  // No short-lived shedding, so only the retention cap limits what is kept.
  const rt = new Runtime(resolveOptions({ shortLivedPerInterval: 1e9 }, {}));
  const live = rt.createTask("live", "task", {}, undefined, undefined);
  for (let i = 0; i < 25_000; i++) rt.completeTask(rt.createTask(`t${i}`, "task", {}, undefined, undefined));
  rt.expire(live.createdAt + 1);
  expect(rt.tasks.size).toBe(MAX_CLOSED_RETAINED + 1);
  expect(rt.tasks.has(live.spanId)).toBe(true);
});

it("ends a console that falls behind with RESOURCE_EXHAUSTED and the reason, freeing what was queued", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  const source = new RuntimeInstrumentSource(rt, { watcherLimits: { maxUpdates: 3, maxBytes: 1 << 30 } });
  const abort = new AbortController();
  const stream = source.watchUpdates(abort.signal)[Symbol.asyncIterator]();
  await stream.next(); // the snapshot
  await stream.next(); // and its end
  for (let i = 0; i < 4; i++) {
    rt.createTask(`t${i}`, "task", {}, undefined, undefined);
    source.tick();
  }
  expect(source.watcherCount).toBe(0);
  const error = await stream.next().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GrpcError);
  expect((error as GrpcError).code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  expect((error as GrpcError).message).toMatch(
    /^this console fell behind: it had not taken 3 updates \(\d+\.\d MiB; the limit is 3 updates or 1024 MiB\), so the target ended its stream; reconnect for a fresh snapshot$/,
  );
  abort.abort();
});
