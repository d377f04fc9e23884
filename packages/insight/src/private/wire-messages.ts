/**
 * Task messages built as finished protobuf-es messages, for the bulk of a
 * delta (a busy service's delta is mostly its 200 new tasks and their
 * stats). protobuf-es `create()` turns an init object into a message by
 * reflection, member by member and level by level; on the delta of the
 * express benchmark that was half of the publish tick's time on the host's
 * thread. An object that already has its `$typeName` (and every field, as
 * the generated types require) is taken by create() as it is, so the
 * Update built around these is the same message, field for field, as
 * before. wire.ts builds the task and its stats the same way.
 */
import type { Duration, Timestamp } from "@bufbuild/protobuf/wkt";
import type { Id, Location, MetaId, PollStats, SpanId } from "@async-insight/protocol";

export function idMessage(id: bigint): Id {
  return { $typeName: "rs.tokio.console.common.Id", id };
}

export function metaIdMessage(id: bigint): MetaId {
  return { $typeName: "rs.tokio.console.common.MetaId", id };
}

export function spanIdMessage(id: bigint): SpanId {
  return { $typeName: "rs.tokio.console.common.SpanId", id };
}

export function locationMessage(file: string, line: number, column: number): Location {
  return { $typeName: "rs.tokio.console.common.Location", file, line, column };
}

export function pollStatsMessage(
  polls: bigint,
  firstPoll: Timestamp | undefined,
  lastPollStarted: Timestamp | undefined,
  lastPollEnded: Timestamp | undefined,
  busyTime: Duration | undefined,
): PollStats {
  return { $typeName: "rs.tokio.console.common.PollStats", polls, firstPoll, lastPollStarted, lastPollEnded, busyTime };
}

const NS_PER_S = 1_000_000_000n;

/** A `google.protobuf.Timestamp` of `ns` since the epoch, as `nanosToTimestamp` makes it (nanos never negative). */
export function timestampMessage(ns: bigint): Timestamp {
  const seconds = ns >= 0n ? ns / NS_PER_S : -((-ns + NS_PER_S - 1n) / NS_PER_S);
  return { $typeName: "google.protobuf.Timestamp", seconds, nanos: Number(ns - seconds * NS_PER_S) };
}

/** A `google.protobuf.Duration` of `ns`, as `nanosToDuration` makes it (seconds and nanos of one sign). */
export function durationMessage(ns: bigint): Duration {
  const seconds = ns / NS_PER_S;
  return { $typeName: "google.protobuf.Duration", seconds, nanos: Number(ns - seconds * NS_PER_S) };
}
