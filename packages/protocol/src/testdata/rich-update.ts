/**
 * An Update for decoder tests: every field of every section message set,
 * every oneof arm, ids past 2^53, negative and zero timestamps, non-ASCII and
 * long strings, explicit-presence fields set to zero, and a stats entry with
 * no value. Compiled with the package but used only by tests.
 */
import { create } from "@bufbuild/protobuf";
import { UpdateSchema, type Update } from "../gen/console/instrument_pb.js";

const BIG = 2n ** 60n + 12345n;
const MAX = 2n ** 64n - 1n;
const ts = (seconds: bigint, nanos: number) => ({ seconds, nanos });
const text = (value: string) => ({ case: "strVal" as const, value });

export function richUpdate(): Update {
  const poll = { polls: BIG, firstPoll: ts(1n, 2), lastPollStarted: ts(3n, 4), lastPollEnded: ts(0n, 0), busyTime: ts(7n, 999_999_999) };
  const attribute = (
    name: string,
    value: { case: "boolVal"; value: boolean } | { case: "strVal"; value: string } | { case: "u64Val"; value: bigint },
    unit?: string,
  ) => ({
    field: { name: { case: "strName" as const, value: name }, value, metadataId: { id: 3n } },
    ...(unit !== undefined ? { unit } : {}),
  });
  return create(UpdateSchema, {
    now: ts(1_700_000_000n, 123_456_789),
    taskUpdate: {
      newTasks: [
        {
          id: { id: BIG },
          metadata: { id: 2n },
          kind: 1,
          fields: [
            { name: { case: "strName", value: "task.name" }, value: text(`worker-7 ✓ ${"x".repeat(300)}`) },
            { name: { case: "nameIdx", value: 4n }, value: { case: "debugVal", value: "dbg" } },
            { name: { case: "strName", value: "n" }, value: { case: "u64Val", value: MAX } },
            { name: { case: "strName", value: "i" }, value: { case: "i64Val", value: -5n } },
            { name: { case: "strName", value: "j" }, value: { case: "i64Val", value: -(2n ** 63n) } },
            { name: { case: "strName", value: "b" }, value: { case: "boolVal", value: false } },
            {},
          ],
          parents: [{ id: 1n }, { id: MAX }],
          location: { file: "src/á.rs", modulePath: "a", line: 0, column: 70_000 },
        },
        { id: { id: 0n } },
        { id: { id: 7n }, kind: 0, location: {} },
      ],
      statsUpdate: {
        [BIG.toString()]: {
          createdAt: ts(1n, 0),
          droppedAt: ts(-1n, -5),
          wakes: 3n,
          wakerClones: 4n,
          wakerDrops: 5n,
          lastWake: ts(0n, 0),
          pollStats: poll,
          selfWakes: 6n,
          scheduledTime: ts(0n, 1),
        },
        "7": {},
        "5": { wakes: MAX, pollStats: {} },
      },
      droppedEvents: BIG,
    },
    resourceUpdate: {
      newResources: [
        {
          id: { id: 9n },
          metadata: { id: 1n },
          concreteType: "Mutex",
          kind: { kind: { case: "known", value: 0 } },
          location: { file: "f", line: 1 },
          parentResourceId: { id: 8n },
          isInternal: true,
        },
        { id: { id: 10n }, concreteType: "Sleep", kind: { kind: { case: "other", value: "Sync" } } },
        { id: { id: MAX }, kind: {} },
      ],
      statsUpdate: {
        "9": {
          createdAt: ts(2n, 2),
          droppedAt: ts(3n, 3),
          attributes: [
            attribute("locked", { case: "boolVal", value: true }),
            attribute("duration", { case: "u64Val", value: 505n }, "ms"),
            attribute("x", text(""), ""),
          ],
        },
        [MAX.toString()]: { attributes: [{}] },
      },
      newPollOps: [{ metadata: { id: 1n }, resourceId: { id: 9n }, name: "poll_acquire", taskId: { id: BIG }, asyncOpId: { id: 11n }, isReady: true }, {}],
      droppedEvents: 1n,
    },
    asyncOpUpdate: {
      newAsyncOps: [{ id: { id: 11n }, metadata: { id: 1n }, source: "Mutex::lock", parentAsyncOpId: { id: 12n }, resourceId: { id: 9n } }, {}],
      statsUpdate: {
        "11": {
          createdAt: ts(1n, 1),
          droppedAt: ts(2n, 2),
          taskId: { id: BIG },
          pollStats: poll,
          attributes: [attribute("insight.reason", text("waiting for lock"))],
        },
      },
      droppedEvents: 2n,
    },
    newMetadata: {
      metadata: [
        {
          id: { id: 1n },
          metadata: {
            name: "runtime.spawn",
            target: "tokio::task",
            modulePath: "tokio::task",
            location: { file: "x.rs", line: 3, column: 4 },
            kind: 1,
            level: 4,
            fieldNames: ["kind", "task.name", ""],
          },
        },
        { id: { id: 2n }, metadata: { name: "" } },
        { id: { id: 3n } },
      ],
    },
  });
}
