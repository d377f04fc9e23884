import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { StatsSchema, type Stats } from "../gen/console/tasks_pb.js";
import { richUpdate } from "../testdata/rich-update.js";
import { readTaskStatsView, type TaskStatsView, type TimestampView } from "./task-stats-view.js";

const time = (t: TimestampView | undefined) => (t === undefined ? undefined : [Number(t.seconds), t.nanos]);

/** The values a reader takes, with every 64-bit value converted as Number() would. */
function values(s: TaskStatsView) {
  const p = s.pollStats;
  return {
    createdAt: time(s.createdAt),
    droppedAt: time(s.droppedAt),
    wakes: Number(s.wakes),
    wakerClones: Number(s.wakerClones),
    wakerDrops: Number(s.wakerDrops),
    lastWake: time(s.lastWake),
    selfWakes: Number(s.selfWakes),
    scheduledTime: time(s.scheduledTime),
    pollStats: p && {
      polls: Number(p.polls),
      firstPoll: time(p.firstPoll),
      started: time(p.lastPollStarted),
      ended: time(p.lastPollEnded),
      busy: time(p.busyTime),
    },
  };
}

describe("readTaskStatsView()", () => {
  const samples: Stats[] = [
    ...Object.values(richUpdate().taskUpdate!.statsUpdate),
    create(StatsSchema, {
      createdAt: { seconds: -(2n ** 63n), nanos: -1 },
      droppedAt: { seconds: 2n ** 63n - 1n, nanos: 999_999_999 },
      wakes: 2n ** 64n - 1n,
      wakerClones: 2n ** 53n + 1n,
      wakerDrops: 1n,
      selfWakes: 2n ** 32n,
      lastWake: {},
      pollStats: { polls: 3n, lastPollEnded: { seconds: 1_795_420_668n, nanos: 647_706_945 }, busyTime: { nanos: 5 } },
      scheduledTime: { seconds: 3n },
    }),
  ];

  it("gives the values the decoded message holds", () => {
    for (const stats of samples) {
      const bytes = toBinary(StatsSchema, stats);
      const view = readTaskStatsView(bytes, 0, bytes.length);
      expect(view).toBeDefined();
      expect(values(view!)).toEqual(values(fromBinary(StatsSchema, bytes)));
    }
  });

  it("reads a slice of a larger buffer, and is reset between reads", () => {
    const [a, b] = samples.map((s) => toBinary(StatsSchema, s));
    const joined = new Uint8Array([0xff, ...a!, ...b!]);
    expect(values(readTaskStatsView(joined, 1, 1 + a!.length)!)).toEqual(values(fromBinary(StatsSchema, a!)));
    expect(values(readTaskStatsView(joined, 1 + a!.length, joined.length)!)).toEqual(values(fromBinary(StatsSchema, b!)));
    expect(values(readTaskStatsView(joined, 0, 0)!)).toEqual(values(create(StatsSchema)));
  });

  it("declines what would need protobuf's merge or unknown-field rules", () => {
    const bytes = toBinary(StatsSchema, samples[0]!);
    const unknown = new Uint8Array([...bytes, 0x78, 0x01]);
    const twice = new Uint8Array([...bytes, ...toBinary(StatsSchema, create(StatsSchema, { pollStats: { polls: 1n } }))]);
    const cut = bytes.subarray(0, bytes.length - 1);
    for (const odd of [unknown, twice, cut]) expect(readTaskStatsView(odd, 0, odd.length)).toBeUndefined();
  });
});
