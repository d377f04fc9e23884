import { create, fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { AsyncOpSchema, AsyncOpUpdateSchema, StatsSchema as AsyncOpStatsSchema } from "../gen/console/async_ops_pb.js";
import { AttributeSchema, FieldSchema, LocationSchema, MetadataSchema, PollStatsSchema, RegisterMetadata_NewMetadataSchema, RegisterMetadataSchema } from "../gen/console/common_pb.js";
import { PollOpSchema, Resource_KindSchema, ResourceSchema, ResourceUpdateSchema, StatsSchema as ResourceStatsSchema } from "../gen/console/resources_pb.js";
import { TaskSchema, TaskUpdateSchema, StatsSchema as TaskStatsSchema } from "../gen/console/tasks_pb.js";
import { describe, expect, it } from "vitest";
import { UpdateSchema, type Update } from "../gen/console/instrument_pb.js";
import { encodeUpdate } from "./update-encoder.js";

const BIG = 2n ** 60n + 12345n;
const ts = (seconds: bigint, nanos: number) => ({ seconds, nanos });
const long = "á€😀".repeat(50) + "x".repeat(20_000);

function everyField(): Update {
  const attr = (name: string, value: { case: "boolVal"; value: boolean } | { case: "strVal"; value: string }) => ({ field: { name: { case: "strName" as const, value: name }, value, metadataId: { id: 3n } }, unit: "ms" });
  const poll = { polls: BIG, firstPoll: ts(1n, 2), lastPollStarted: ts(3n, 4), lastPollEnded: ts(5n, 6), busyTime: ts(7n, 999_999_999) };
  return create(UpdateSchema, {
    now: ts(1_700_000_000n, 123_456_789),
    taskUpdate: {
      newTasks: [
        {
          id: { id: BIG },
          metadata: { id: 2n },
          kind: 1,
          fields: [
            { name: { case: "strName", value: "task.name" }, value: { case: "strVal", value: long } },
            { name: { case: "nameIdx", value: 4n }, value: { case: "debugVal", value: "dbg" } },
            { name: { case: "strName", value: "n" }, value: { case: "u64Val", value: 0n } },
            { name: { case: "strName", value: "i" }, value: { case: "i64Val", value: -5n } },
            { name: { case: "strName", value: "j" }, value: { case: "i64Val", value: -(2n ** 63n) } },
            { name: { case: "strName", value: "b" }, value: { case: "boolVal", value: false } },
          ],
          parents: [{ id: 1n }, { id: BIG }],
          location: { file: "src/a.rs", modulePath: "a", line: 0, column: 70_000 },
        },
        { id: { id: 0n } },
      ],
      statsUpdate: {
        [BIG.toString()]: { createdAt: ts(1n, 0), droppedAt: ts(-1n, -5), wakes: 3n, wakerClones: 4n, wakerDrops: 5n, lastWake: ts(0n, 0), pollStats: poll, selfWakes: 6n, scheduledTime: ts(0n, 1) },
        "7": {},
      },
      droppedEvents: BIG,
    },
    resourceUpdate: {
      newResources: [
        { id: { id: 9n }, metadata: { id: 1n }, concreteType: "Mutex", kind: { kind: { case: "known", value: 0 } }, location: { file: "f" }, parentResourceId: { id: 8n }, isInternal: true },
        { id: { id: 10n }, kind: { kind: { case: "other", value: "Sync" } } },
      ],
      statsUpdate: { "9": { createdAt: ts(2n, 2), droppedAt: ts(3n, 3), attributes: [attr("locked", { case: "boolVal", value: true }), { field: { name: { case: "strName", value: "x" }, value: { case: "u64Val", value: 1n } } }] } },
      newPollOps: [{ metadata: { id: 1n }, resourceId: { id: 9n }, name: "poll_acquire", taskId: { id: BIG }, asyncOpId: { id: 11n }, isReady: true }, {}],
      droppedEvents: 1n,
    },
    asyncOpUpdate: {
      newAsyncOps: [{ id: { id: 11n }, metadata: { id: 1n }, source: "Mutex::lock", parentAsyncOpId: { id: 12n }, resourceId: { id: 9n } }],
      statsUpdate: { "11": { createdAt: ts(1n, 1), droppedAt: ts(2n, 2), taskId: { id: BIG }, pollStats: poll, attributes: [attr("insight.reason", { case: "strVal", value: "waiting for lock" })] } },
      droppedEvents: 2n,
    },
    newMetadata: {
      metadata: [
        { id: { id: 1n }, metadata: { name: "runtime.spawn", target: "tokio::task", modulePath: "tokio::task", location: { file: "x.rs", line: 3, column: 4 }, kind: 1, level: 4, fieldNames: ["kind", "task.name", ""] } },
        { id: { id: 2n }, metadata: { name: "" } },
        { id: { id: 3n } },
      ],
    },
  });
}

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
    const update = everyField();
    expect(Buffer.from(encodeUpdate(update)).toString("hex")).toBe(Buffer.from(toBinary(UpdateSchema, update)).toString("hex"));
  });

  it("writes the same bytes for empty and partly empty updates", () => {
    for (const init of [{}, { now: ts(0n, 0) }, { taskUpdate: {} }, { resourceUpdate: { statsUpdate: { "1": {} } } }]) {
      const update = create(UpdateSchema, init);
      expect(encodeUpdate(update)).toEqual(toBinary(UpdateSchema, update));
    }
  });

  it("round-trips a large update through protobuf-es's decoder", () => {
    const tasks = Array.from({ length: 2_000 }, (_, i) => ({ id: { id: BigInt(i + 1) }, fields: [{ name: { case: "strName" as const, value: "task.name" }, value: { case: "strVal" as const, value: `worker-${i}` } }] }));
    const update = create(UpdateSchema, { taskUpdate: { newTasks: tasks, statsUpdate: Object.fromEntries(tasks.map((t) => [String(t.id.id), { wakes: t.id.id, pollStats: { polls: 2n } }])) } });
    const bytes = encodeUpdate(update);
    expect(bytes).toEqual(toBinary(UpdateSchema, update));
    expect(fromBinary(UpdateSchema, bytes).taskUpdate?.newTasks).toHaveLength(2_000);
  });
});
