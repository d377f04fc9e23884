import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { AsyncOpSchema, StatsSchema as AsyncOpStatsSchema } from "../gen/console/async_ops_pb.js";
import { RegisterMetadata_NewMetadataSchema } from "../gen/console/common_pb.js";
import { UpdateSchema } from "../gen/console/instrument_pb.js";
import { PollOpSchema, ResourceSchema, StatsSchema as ResourceStatsSchema } from "../gen/console/resources_pb.js";
import { StatsSchema as TaskStatsSchema, TaskSchema } from "../gen/console/tasks_pb.js";
import { richUpdate } from "../testdata/rich-update.js";
import { fastFromBinary, tryFastFromBinary } from "./fast-decode.js";

function same(schema: DescMessage, bytes: Uint8Array): void {
  const fast = fastFromBinary(schema, bytes);
  expect(tryFastFromBinary(schema, bytes), "decoded without falling back").toBeDefined();
  const reference = fromBinary(schema, bytes);
  expect(fast).toStrictEqual(reference);
  expect(JSON.stringify(Object.keys(fast))).toBe(JSON.stringify(Object.keys(reference)));
}

describe("fastFromBinary()", () => {
  const update = richUpdate();

  it("decodes every section element as fromBinary does", () => {
    const cases: [DescMessage, object][] = [
      ...update.taskUpdate!.newTasks.map((m) => [TaskSchema, m] as [DescMessage, object]),
      ...Object.values(update.taskUpdate!.statsUpdate).map((m) => [TaskStatsSchema, m] as [DescMessage, object]),
      ...update.resourceUpdate!.newResources.map((m) => [ResourceSchema, m] as [DescMessage, object]),
      ...Object.values(update.resourceUpdate!.statsUpdate).map((m) => [ResourceStatsSchema, m] as [DescMessage, object]),
      ...update.resourceUpdate!.newPollOps.map((m) => [PollOpSchema, m] as [DescMessage, object]),
      ...update.asyncOpUpdate!.newAsyncOps.map((m) => [AsyncOpSchema, m] as [DescMessage, object]),
      ...Object.values(update.asyncOpUpdate!.statsUpdate).map((m) => [AsyncOpStatsSchema, m] as [DescMessage, object]),
      ...update.newMetadata!.metadata.map((m) => [RegisterMetadata_NewMetadataSchema, m] as [DescMessage, object]),
    ];
    for (const [schema, message] of cases) same(schema, toBinary(schema, message as never));
  });

  it("hands anything unusual to fromBinary: unknown fields, merged fields, bad UTF-8, truncation", () => {
    const stats = toBinary(TaskStatsSchema, update.taskUpdate!.statsUpdate[Object.keys(update.taskUpdate!.statsUpdate)[0]!]!);
    // Field 15 is not in tasks.Stats: kept as an unknown field.
    const unknown = new Uint8Array([...stats, 0x78, 0x01]);
    expect(tryFastFromBinary(TaskStatsSchema, unknown)).toBeUndefined();
    expect(fastFromBinary(TaskStatsSchema, unknown)).toStrictEqual(fromBinary(TaskStatsSchema, unknown));
    // poll_stats twice: the second merges into the first.
    const twice = new Uint8Array([...stats, ...toBinary(TaskStatsSchema, create(TaskStatsSchema, { pollStats: { polls: 2n } }))]);
    expect(tryFastFromBinary(TaskStatsSchema, twice)).toBeUndefined();
    expect(fastFromBinary(TaskStatsSchema, twice)).toStrictEqual(fromBinary(TaskStatsSchema, twice));
    // concrete_type with an invalid UTF-8 byte, and a message cut short: both throw the same error.
    const badText = new Uint8Array([0x1a, 0x02, 0x41, 0xff]);
    expect(() => fastFromBinary(ResourceSchema, badText)).toThrow();
    expect(() => fastFromBinary(ResourceSchema, badText)).toThrow(captureError(() => fromBinary(ResourceSchema, badText)));
    const cut = stats.subarray(0, stats.length - 1);
    expect(() => fastFromBinary(TaskStatsSchema, cut)).toThrow(captureError(() => fromBinary(TaskStatsSchema, cut)));
  });

  it("shares one copy of a repeated short string without changing its value", () => {
    const bytes = toBinary(ResourceSchema, update.resourceUpdate!.newResources[1]!);
    const a = fastFromBinary(ResourceSchema, bytes);
    const b = fastFromBinary(ResourceSchema, bytes);
    expect(a.concreteType).toBe("Sleep");
    expect(b.concreteType).toBe(a.concreteType);
  });

  it("leaves messages it does not plan for (maps) to fromBinary", () => {
    const bytes = toBinary(UpdateSchema, update);
    expect(tryFastFromBinary(UpdateSchema, bytes)).toBeUndefined();
    expect(fastFromBinary(UpdateSchema, bytes)).toStrictEqual(fromBinary(UpdateSchema, bytes));
  });
});

function captureError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}
