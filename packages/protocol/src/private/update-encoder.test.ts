import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { AsyncOpSchema, AsyncOpUpdateSchema, StatsSchema as AsyncOpStatsSchema } from "../gen/console/async_ops_pb.js";
import {
  AttributeSchema,
  FieldSchema,
  LocationSchema,
  MetadataSchema,
  PollStatsSchema,
  RegisterMetadata_NewMetadataSchema,
  RegisterMetadataSchema,
} from "../gen/console/common_pb.js";
import { PollOpSchema, Resource_KindSchema, ResourceSchema, ResourceUpdateSchema, StatsSchema as ResourceStatsSchema } from "../gen/console/resources_pb.js";
import { TaskSchema, TaskUpdateSchema, StatsSchema as TaskStatsSchema } from "../gen/console/tasks_pb.js";
import { describe, expect, it } from "vitest";
import { UpdateSchema } from "../gen/console/instrument_pb.js";
import { richUpdate } from "../testdata/rich-update.js";
import { encodeUpdate } from "./update-encoder.js";

const ts = (seconds: bigint, nanos: number) => ({ seconds, nanos });

describe("encodeUpdate", () => {
  it("knows every field of every message it writes (a .proto change must be mirrored in the encoder)", () => {
    const numbers = (schema: DescMessage) => schema.fields.map((f) => f.number);
    expect(numbers(UpdateSchema)).toEqual([1, 2, 3, 4, 5]);
    expect(numbers(TaskUpdateSchema)).toEqual([1, 3, 4]);
    expect(numbers(TaskSchema)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(numbers(TaskStatsSchema)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(numbers(ResourceUpdateSchema)).toEqual([1, 2, 3, 4]);
    expect(numbers(ResourceSchema)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(numbers(Resource_KindSchema)).toEqual([1, 2]);
    expect(numbers(ResourceStatsSchema)).toEqual([1, 2, 3]);
    expect(numbers(PollOpSchema)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(numbers(AsyncOpUpdateSchema)).toEqual([1, 2, 3]);
    expect(numbers(AsyncOpSchema)).toEqual([1, 2, 3, 4, 5]);
    expect(numbers(AsyncOpStatsSchema)).toEqual([1, 2, 4, 5, 6]);
    expect(numbers(FieldSchema)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(numbers(AttributeSchema)).toEqual([1, 2]);
    expect(numbers(LocationSchema)).toEqual([1, 2, 3, 4]);
    expect(numbers(PollStatsSchema)).toEqual([1, 3, 4, 5, 6]);
    expect(numbers(RegisterMetadataSchema)).toEqual([1]);
    expect(numbers(RegisterMetadata_NewMetadataSchema)).toEqual([1, 2]);
    expect(numbers(MetadataSchema)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("writes the same bytes as protobuf-es for an update with every field, oneof arm and edge value", () => {
    const update = richUpdate();
    expect(Buffer.from(encodeUpdate(update)).toString("hex")).toBe(Buffer.from(toBinary(UpdateSchema, update)).toString("hex"));
    // A body over 16 KiB needs a three-byte length, moved into place after the body is written.
    const long = create(UpdateSchema, {
      taskUpdate: { newTasks: [{ fields: [{ name: { case: "strName", value: "s" }, value: { case: "strVal", value: "é😀".repeat(4_000) } }] }] },
    });
    expect(encodeUpdate(long)).toEqual(toBinary(UpdateSchema, long));
  });

  it("writes the same bytes for empty and partly empty updates", () => {
    for (const init of [{}, { now: ts(0n, 0) }, { taskUpdate: {} }, { resourceUpdate: { statsUpdate: { "1": {} } } }]) {
      const update = create(UpdateSchema, init);
      expect(encodeUpdate(update)).toEqual(toBinary(UpdateSchema, update));
    }
  });

  it("round-trips a large update through protobuf-es's decoder", () => {
    const tasks = Array.from({ length: 2_000 }, (_, i) => ({
      id: { id: BigInt(i + 1) },
      fields: [{ name: { case: "strName" as const, value: "task.name" }, value: { case: "strVal" as const, value: `worker-${i}` } }],
    }));
    const update = create(UpdateSchema, {
      taskUpdate: { newTasks: tasks, statsUpdate: Object.fromEntries(tasks.map((t) => [String(t.id.id), { wakes: t.id.id, pollStats: { polls: 2n } }])) },
    });
    const bytes = encodeUpdate(update);
    expect(bytes).toEqual(toBinary(UpdateSchema, update));
    expect(fromBinary(UpdateSchema, bytes).taskUpdate?.newTasks).toHaveLength(2_000);
  });
});
