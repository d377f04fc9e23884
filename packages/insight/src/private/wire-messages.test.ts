/**
 * The messages a delta is built from by hand (wire-messages.ts, wire.ts) are
 * the ones protobuf-es create() makes from the same values, and both encoders
 * (protobuf-es's and the protocol's own) write the same bytes for a delta
 * made of them.
 */
import { create, fromBinary, isMessage, toBinary } from "@bufbuild/protobuf";
import {
  IdSchema,
  LocationSchema,
  MetaIdSchema,
  nanosToDuration,
  nanosToTimestamp,
  PollStatsSchema,
  SpanIdSchema,
  tasks,
  UpdateSchema,
} from "@async-insight/protocol";
import { encodeOnce } from "@async-insight/protocol/server";
import { describe, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { Runtime } from "./runtime.js";
import { WireBuilder } from "./wire.js";
import { durationMessage, idMessage, locationMessage, metaIdMessage, pollStatsMessage, spanIdMessage, timestampMessage } from "./wire-messages.js";

describe("hand-built messages equal create()'s", () => {
  it.each([0n, 1n, 999_999_999n, 1_000_000_000n, 1_764_400_000_123_456_789n, -1n, -1_500_000_000n])("timestamp and duration of %s ns", (ns) => {
    expect(timestampMessage(ns)).toEqual(nanosToTimestamp(ns));
    expect(durationMessage(ns)).toEqual(nanosToDuration(ns));
  });

  it("ids, a location and poll stats", () => {
    expect(idMessage(7n)).toEqual(create(IdSchema, { id: 7n }));
    expect(metaIdMessage(1n)).toEqual(create(MetaIdSchema, { id: 1n }));
    expect(spanIdMessage(9n)).toEqual(create(SpanIdSchema, { id: 9n }));
    expect(locationMessage("/app/x.js", 12, 3)).toEqual(create(LocationSchema, { file: "/app/x.js", line: 12, column: 3 }));
    const first = nanosToTimestamp(5n);
    const busy = nanosToDuration(2_000n);
    expect(pollStatsMessage(4n, first, undefined, first, busy)).toEqual(
      create(PollStatsSchema, { polls: 4n, firstPoll: first, lastPollEnded: first, busyTime: busy }),
    );
  });
});

describe("a delta of hand-built tasks", () => {
  it("encodes to the same bytes with protobuf-es and the protocol's encoder, and decodes to its values", () => {
    const rt = new Runtime(resolveOptions({}, {}));
    const wire = new WireBuilder(rt);
    const parent = rt.createTask("parent", "task", { tenant: "a", attempt: 2 }, undefined, null);
    const child = rt.createTask("child", "task", {}, undefined, parent);
    rt.poll(child, child.createdAt + 1, child.createdAt + 3);
    rt.completeTask(child);
    const delta = wire.delta();

    const sent = delta.taskUpdate!.newTasks;
    expect(sent.map((task) => isMessage(task, tasks.TaskSchema))).toEqual([true, true]);
    expect(Object.values(delta.taskUpdate!.statsUpdate).map((stats) => isMessage(stats, tasks.StatsSchema))).toEqual([true, true]);
    const bytes = toBinary(UpdateSchema, delta);
    expect(encodeOnce(UpdateSchema, delta)).toEqual(bytes);

    const decoded = fromBinary(UpdateSchema, bytes).taskUpdate!;
    const fields = (i: number) => decoded.newTasks[i]!.fields.map((f) => [f.name.value, f.value.value]);
    expect(fields(0)).toEqual([
      ["kind", "task"],
      ["task.name", "parent"],
      ["task.id", BigInt(parent.taskId)],
      ["tenant", "a"],
      ["attempt", 2n],
    ]);
    expect(decoded.newTasks[1]!.parents.map((p) => p.id)).toEqual([BigInt(parent.spanId)]);
    const stats = decoded.statsUpdate[String(child.spanId)]!;
    expect([stats.pollStats?.polls, stats.droppedAt !== undefined, decoded.statsUpdate[String(parent.spanId)]!.droppedAt]).toEqual([1n, true, undefined]);
  });
});
