/**
 * Console messages built on the TypeScript side with every field set, every
 * oneof arm used, ids above 2^53 (up to 2^64 - 2), explicit-presence fields
 * set to their zero value, and real HdrHistogram bytes from the Rust crate.
 * The reverse-direction interop test serves these from our server and checks
 * that the console-api crate's client decodes each field the same way.
 */
import { readFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { Metadata_Kind, Metadata_Level, UpdateSchema, nanosToDuration, nanosToTimestamp, tasks, resources, type Update } from "@async-insight/protocol";

export const BIG = 2n ** 53n + 7n;
export const TASK_ID = 2n ** 64n - 2n;
export const BLOCKING_TASK_ID = BIG + 1n;
export const RESOURCE_ID = 2n ** 63n + 3n;
export const INTERNAL_RESOURCE_ID = BIG + 2n;
export const ASYNC_OP_ID = 2n ** 64n - 5n;
export const PARENT_ASYNC_OP_ID = BIG + 3n;
export const META = { spawn: BIG + 10n, resource: BIG + 11n, asyncOp: BIG + 12n, pollOp: BIG + 13n, event: 1n } as const;

interface Vector {
  readonly name: string;
  readonly base64: string;
}
const vectors: Vector[] = JSON.parse(readFileSync(new URL("../../packages/protocol/src/testdata/hdr-vectors.json", import.meta.url), "utf8"));

/** HdrHistogram V2 bytes the Rust crate produced, by vector name. */
export function hdrBytes(name: string): Uint8Array {
  const vector = vectors.find((v) => v.name === name);
  if (!vector) throw new Error(`no HdrHistogram vector named ${name}`);
  return new Uint8Array(Buffer.from(vector.base64, "base64"));
}

const ts = (seconds: number, nanos = 0) => nanosToTimestamp(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
const dur = (nanos: bigint) => nanosToDuration(nanos);
const id = (value: bigint) => ({ id: value });

function location(file: string, line: number, column: number) {
  return { file, modulePath: "insight::interop", line, column };
}

const pollStats = {
  polls: 2n ** 60n + 1n,
  firstPoll: ts(1_700_000_000, 1_000_000),
  lastPollStarted: ts(1_700_000_005, 123_456_789),
  lastPollEnded: ts(1_700_000_005, 123_457_000),
  busyTime: dur(4_000_250_000n),
};

/** Both arms of both `Field` oneofs, 64-bit extremes included. */
const everyFieldArm = [
  { name: { case: "strName", value: "task.name" }, value: { case: "strVal", value: "interop-worker ✓" }, metadataId: id(META.spawn) },
  { name: { case: "nameIdx", value: 2n ** 64n - 1n }, value: { case: "debugVal", value: 'Some("debug")' }, metadataId: id(META.spawn) },
  { name: { case: "strName", value: "u64.max" }, value: { case: "u64Val", value: 2n ** 64n - 1n }, metadataId: id(META.spawn) },
  { name: { case: "strName", value: "i64.min" }, value: { case: "i64Val", value: -(2n ** 63n) }, metadataId: id(META.spawn) },
  { name: { case: "strName", value: "flag" }, value: { case: "boolVal", value: false }, metadataId: id(META.spawn) },
] as const;

function taskStats(wakes: bigint) {
  return {
    createdAt: ts(1_700_000_000),
    droppedAt: ts(1_700_000_009, 999_999_999),
    wakes,
    wakerClones: BIG,
    wakerDrops: BIG - 1n,
    lastWake: ts(1_700_000_004, 100),
    pollStats,
    selfWakes: 3n,
    scheduledTime: dur(1_500n),
  };
}

const allMetadata = {
  metadata: [
    [META.spawn, "runtime.spawn", Metadata_Kind.SPAN, Metadata_Level.TRACE],
    [META.resource, "runtime.resource", Metadata_Kind.SPAN, Metadata_Level.DEBUG],
    [META.asyncOp, "runtime.resource.async_op", Metadata_Kind.SPAN, Metadata_Level.INFO],
    [META.pollOp, "runtime.resource.poll_op", Metadata_Kind.EVENT, Metadata_Level.WARN],
    // Zero-valued enums and an empty location: dropped by canonical JSON, kept as a message.
    [META.event, "error-event", Metadata_Kind.SPAN, Metadata_Level.ERROR],
  ].map(([mid, name, kind, level], i) => ({
    id: id(mid as bigint),
    metadata: {
      name: name as string,
      target: "insight::interop",
      modulePath: "insight::interop::module",
      location: i === 4 ? {} : location("src/interop.ts", 10 + i, 3),
      kind: kind as Metadata_Kind,
      level: level as Metadata_Level,
      fieldNames: ["task.name", "task.id", "ünïcode"],
    },
  })),
};

/** The snapshot: everything the protocol can carry, at least once. */
export function fullSnapshot(): Update {
  return create(UpdateSchema, {
    now: ts(1_700_000_010, 5_000),
    newMetadata: allMetadata,
    taskUpdate: {
      newTasks: [
        {
          id: id(TASK_ID),
          metadata: id(META.spawn),
          kind: tasks.Task_Kind.SPAWN,
          fields: [...everyFieldArm],
          parents: [id(BIG + 100n), id(1n)],
          location: location("src/worker.ts", 42, 7),
        },
        {
          id: id(BLOCKING_TASK_ID),
          metadata: id(META.spawn),
          kind: tasks.Task_Kind.BLOCKING,
          fields: [{ name: { case: "strName", value: "kind" }, value: { case: "strVal", value: "blocking" } }],
          // Explicit-presence fields set to zero values must survive as set.
          location: { file: "", line: 0, column: 0 },
        },
      ],
      statsUpdate: { [TASK_ID.toString()]: taskStats(2n ** 64n - 3n), [BLOCKING_TASK_ID.toString()]: taskStats(0n) },
      droppedEvents: 2n ** 64n - 9n,
    },
    resourceUpdate: {
      newResources: [
        {
          id: id(RESOURCE_ID),
          metadata: id(META.resource),
          concreteType: "Mutex",
          kind: { kind: { case: "other", value: "Sync" } },
          location: location("src/lock.ts", 5, 1),
          parentResourceId: id(INTERNAL_RESOURCE_ID),
        },
        {
          id: id(INTERNAL_RESOURCE_ID),
          metadata: id(META.resource),
          concreteType: "Sleep",
          kind: { kind: { case: "known", value: resources.Resource_Kind_Known.TIMER } },
          location: location("src/timer.ts", 9, 2),
          isInternal: true,
        },
      ],
      statsUpdate: {
        [RESOURCE_ID.toString()]: {
          createdAt: ts(1_700_000_001),
          droppedAt: ts(1_700_000_002, 500_000_000),
          attributes: [
            { field: { name: { case: "strName", value: "locked" }, value: { case: "boolVal", value: true }, metadataId: id(META.resource) } },
            { field: { name: { case: "strName", value: "duration" }, value: { case: "u64Val", value: 101n } }, unit: "ms" },
            { field: { name: { case: "strName", value: "permits" }, value: { case: "i64Val", value: -1n } }, unit: "" },
          ],
        },
      },
      newPollOps: [
        {
          metadata: id(META.pollOp),
          resourceId: id(RESOURCE_ID),
          name: "poll_acquire",
          taskId: id(TASK_ID),
          asyncOpId: id(ASYNC_OP_ID),
          isReady: true,
        },
        { metadata: id(META.pollOp), resourceId: id(INTERNAL_RESOURCE_ID), name: "poll_elapsed", taskId: id(BLOCKING_TASK_ID) },
      ],
      droppedEvents: 7n,
    },
    asyncOpUpdate: {
      newAsyncOps: [
        {
          id: id(ASYNC_OP_ID),
          metadata: id(META.asyncOp),
          source: "Mutex::lock",
          parentAsyncOpId: id(PARENT_ASYNC_OP_ID),
          resourceId: id(RESOURCE_ID),
        },
      ],
      statsUpdate: {
        [ASYNC_OP_ID.toString()]: {
          createdAt: ts(1_700_000_003, 3_000),
          droppedAt: ts(1_700_000_004),
          taskId: id(TASK_ID),
          pollStats,
          attributes: [{ field: { name: { case: "nameIdx", value: 0n }, value: { case: "u64Val", value: 1n } }, unit: "permits" }],
        },
      },
      droppedEvents: 1n,
    },
  });
}

/**
 * A later delta, mostly changed stats as subscribers send, plus enum values
 * from a hypothetical newer protocol: both sides must carry them as numbers.
 */
export function deltaUpdate(): Update {
  return create(UpdateSchema, {
    now: ts(1_700_000_011),
    taskUpdate: {
      newTasks: [{ id: id(BIG + 50n), metadata: id(META.spawn), kind: 7 as tasks.Task_Kind }],
      statsUpdate: { [TASK_ID.toString()]: taskStats(2n ** 64n - 2n) },
    },
    resourceUpdate: {
      newResources: [{ id: id(BIG + 51n), concreteType: "Future", kind: { kind: { case: "known", value: 42 as resources.Resource_Kind_Known } } }],
    },
  });
}

/** Both poll-times arms, with histograms of real Rust-serialized bytes. */
export function fullTaskDetails(): tasks.TaskDetails[] {
  return [
    create(tasks.TaskDetailsSchema, {
      taskId: id(TASK_ID),
      now: ts(1_700_000_010, 5_000),
      pollTimesHistogram: {
        case: "histogram",
        value: { rawHistogram: hdrBytes("subscriber-poll-times"), maxValue: 250_609_663n, highOutliers: 2n, highestOutlier: 2n ** 40n },
      },
      scheduledTimesHistogram: { rawHistogram: hdrBytes("large-counts"), maxValue: 999_423n, highestOutlier: 0n },
    }),
    create(tasks.TaskDetailsSchema, {
      taskId: id(TASK_ID),
      now: ts(1_700_000_011),
      pollTimesHistogram: { case: "legacyHistogram", value: hdrBytes("geometric-spread") },
      scheduledTimesHistogram: { rawHistogram: hdrBytes("empty") },
    }),
  ];
}
