/** Protobuf Timestamp/Duration <-> integer nanoseconds, kept as bigint to stay exact. */
import { create } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema, type Duration, type Timestamp } from "@bufbuild/protobuf/wkt";

const NS_PER_S = 1_000_000_000n;

export function timestampToNanos(ts: Timestamp | undefined): bigint | undefined {
  return ts ? ts.seconds * NS_PER_S + BigInt(ts.nanos) : undefined;
}

export function durationToNanos(d: Duration | undefined): bigint {
  return d ? d.seconds * NS_PER_S + BigInt(d.nanos) : 0n;
}

export function nanosToTimestamp(ns: bigint): Timestamp {
  const seconds = ns >= 0n ? ns / NS_PER_S : -((-ns + NS_PER_S - 1n) / NS_PER_S);
  return create(TimestampSchema, { seconds, nanos: Number(ns - seconds * NS_PER_S) });
}

export function nanosToDuration(ns: bigint): Duration {
  // Duration keeps seconds and nanos on the same sign.
  const seconds = ns / NS_PER_S;
  return create(DurationSchema, { seconds, nanos: Number(ns - seconds * NS_PER_S) });
}
