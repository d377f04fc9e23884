import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { UpdateSchema, type Update } from "./gen/console/instrument_pb.js";
import { TaskUpdateSchema } from "./gen/console/tasks_pb.js";
import { lazyUpdateFromBinary } from "./lazy-update.js";
import { updateSections } from "./update-sections.js";
import { richUpdate } from "./testdata/rich-update.js";

/** Everything updateSections yields, in order. */
function walk(update: Update) {
  const sections = updateSections(update);
  const metadata: unknown[] = [];
  sections.forEachMetadata((m) => metadata.push(m));
  const section = (s: ReturnType<typeof updateSections>["resources"]) => {
    if (!s) return undefined;
    const out = { dropped: s.droppedEvents, news: [] as unknown[], stats: [] as unknown[], pollOps: [] as unknown[] };
    s.forEachNew((e) => out.news.push(e));
    s.forEachStats((key, stats) => out.stats.push([key, stats]));
    s.forEachPollOp?.((op) => out.pollOps.push(op));
    return out;
  };
  return {
    now: sections.now,
    metadata,
    tasks: section(sections.tasks as never),
    resources: section(sections.resources),
    asyncOps: section(sections.asyncOps as never),
  };
}

/** Two encodings back to back: protobuf merges the occurrences of each section. */
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe("lazyUpdateFromBinary()", () => {
  it("reads as the same message fromBinary decodes", () => {
    const bytes = toBinary(UpdateSchema, richUpdate());
    const lazy = lazyUpdateFromBinary(bytes);
    expect(lazy).toStrictEqual(fromBinary(UpdateSchema, bytes));
    expect(Object.keys(lazy)).toEqual(Object.keys(fromBinary(UpdateSchema, bytes)));
  });

  it("leaves absent sections absent", () => {
    const lazy = lazyUpdateFromBinary(toBinary(UpdateSchema, create(UpdateSchema, { now: { seconds: 5n } })));
    expect(Object.keys(lazy)).toEqual(["$typeName", "now"]);
    expect("taskUpdate" in lazy).toBe(false);
    expect(updateSections(lazy).tasks).toBeUndefined();
  });

  it("decodes a section once, on first read, and accepts a replacement", () => {
    const lazy = lazyUpdateFromBinary(toBinary(UpdateSchema, richUpdate()));
    const first = lazy.taskUpdate;
    expect(lazy.taskUpdate).toBe(first);
    const replacement = create(TaskUpdateSchema, { droppedEvents: 42n });
    lazy.resourceUpdate = undefined;
    lazy.taskUpdate = replacement;
    expect(lazy.taskUpdate).toBe(replacement);
    expect(updateSections(lazy).tasks?.droppedEvents).toBe(42n);
    expect(updateSections(lazy).resources).toBeUndefined();
  });

  it("merges repeated occurrences as protobuf-es does", () => {
    const a = richUpdate();
    const b = create(UpdateSchema, {
      now: { nanos: 7 },
      taskUpdate: { newTasks: [{ id: { id: 99n } }], statsUpdate: { "5": { wakes: 9n }, "99": { wakes: 1n } }, droppedEvents: 3n },
    });
    const bytes = concat(toBinary(UpdateSchema, a), toBinary(UpdateSchema, b));
    expect(lazyUpdateFromBinary(bytes)).toStrictEqual(fromBinary(UpdateSchema, bytes));
    expect(walk(lazyUpdateFromBinary(bytes))).toStrictEqual(walk(fromBinary(UpdateSchema, bytes)));
  });
});

describe("updateSections()", () => {
  it("yields the same elements in the same order for a lazy and a decoded update", () => {
    const bytes = toBinary(UpdateSchema, richUpdate());
    const decoded = walk(fromBinary(UpdateSchema, bytes));
    expect(walk(lazyUpdateFromBinary(bytes))).toStrictEqual(decoded);
    expect(decoded.tasks!.news.length).toBeGreaterThan(1);
    expect(decoded.resources!.pollOps.length).toBeGreaterThan(1);
  });

  it("orders stats keys as the decoded map iterates: small numbers ascending, then wire order", () => {
    const keys = ["18446744073709551614", "30", "9007199254740993", "4294967295", "4294967294", "2", "0"];
    const update = create(UpdateSchema, { taskUpdate: { statsUpdate: Object.fromEntries(keys.map((k, i) => [k, { wakes: BigInt(i) }])) } });
    const bytes = toBinary(UpdateSchema, update);
    const order = (u: Update) => walk(u).tasks!.stats.map((entry) => (entry as [string])[0]);
    expect(order(lazyUpdateFromBinary(bytes))).toEqual(order(fromBinary(UpdateSchema, bytes)));
    expect(order(lazyUpdateFromBinary(bytes))).toEqual(["0", "2", "30", "4294967294", "18446744073709551614", "9007199254740993", "4294967295"]);
  });

  it("matches the decoded map's order for any mix of small, large and repeated keys", () => {
    const big = (i: number) => String(2n ** 53n + BigInt(i * 7919) * 2n ** 33n);
    const key = (i: number) => (i % 3 === 0 ? String((i * 7) % 50) : big((i * 31) % 97));
    const entries = (from: number, to: number) => Object.fromEntries(Array.from({ length: to - from }, (_, i) => [key(from + i), { wakes: BigInt(from + i) }]));
    const one = create(UpdateSchema, { taskUpdate: { statsUpdate: entries(0, 60) } });
    const two = create(UpdateSchema, { taskUpdate: { statsUpdate: entries(40, 80) } });
    // Encoded one entry at a time so the wire order is not the ascending order a JS object would give.
    const single = (k: string) => toBinary(UpdateSchema, create(UpdateSchema, { taskUpdate: { statsUpdate: { [k]: { wakes: BigInt(k.length) } } } }));
    const shuffled = concat(...["9", big(5), "3", "4294967295", "7", big(1), "1"].map(single));
    for (const bytes of [toBinary(UpdateSchema, one), shuffled, concat(toBinary(UpdateSchema, one), toBinary(UpdateSchema, two))]) {
      expect(walk(lazyUpdateFromBinary(bytes))).toStrictEqual(walk(fromBinary(UpdateSchema, bytes)));
    }
  });

  it("reads sections a caller decoded or replaced from the objects", () => {
    const lazy = lazyUpdateFromBinary(toBinary(UpdateSchema, richUpdate()));
    lazy.taskUpdate!.newTasks.length = 0;
    expect(walk(lazy).tasks!.news).toEqual([]);
  });
});
