import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, timestampToNanos } from "@async-insight/protocol";
import { updateLine } from "@async-insight/protocol/recording";
import { describe, expect, it } from "vitest";
import { MAX_CHECKPOINTS, SpillFrameLog } from "./frame-log.js";

const update = (i: number) =>
  create(UpdateSchema, { now: nanosToTimestamp(1_000_000_000n * BigInt(i + 1)), taskUpdate: { newTasks: [{ id: { id: BigInt(i + 1) } }] } });
const idOf = (log: SpillFrameLog, i: number) => log.frame(i)?.update.taskUpdate?.newTasks[0]?.id?.id;

describe("SpillFrameLog", () => {
  it("gives back every frame, in order and at random, with its time and restart mark", () => {
    const log = new SpillFrameLog();
    for (let i = 0; i < 300; i++) log.append(update(i), 10n * BigInt(i), i === 150);
    expect(log.length).toBe(300);
    expect(log.restarts).toEqual([150]);
    for (let i = 0; i < 300; i++) expect(idOf(log, i)).toBe(BigInt(i + 1));
    for (const i of [299, 0, 151, 150, 7, 298, 1]) {
      const frame = log.frame(i)!;
      expect(frame.atNs).toBe(10n * BigInt(i));
      expect(timestampToNanos(frame.update.now)).toBe(1_000_000_000n * BigInt(i + 1));
      expect(frame.restart ?? false).toBe(i === 150);
    }
    expect(log.frame(300)).toBeUndefined();
    expect(log.frame(-1)).toBeUndefined();
    log.close();
  });

  it("holds a time a file puts past the int64 range at the range's edge instead of throwing", () => {
    const log = new SpillFrameLog();
    log.append(update(0), 10n ** 45n, false);
    log.append(update(1), -(10n ** 45n), false);
    expect([log.frame(0)!.atNs, log.frame(1)!.atNs]).toEqual([2n ** 63n - 1n, -(2n ** 63n)]);
    expect(idOf(log, 1)).toBe(2n);
    log.close();
  });

  it("keeps a bounded index: the stride doubles instead of the checkpoints growing", () => {
    const log = new SpillFrameLog();
    const count = MAX_CHECKPOINTS * 5 + 3;
    for (let i = 0; i < count; i++) log.append(update(i % 10), 2n * BigInt(i), false);
    expect(log.stride).toBe(8);
    for (const i of [0, 1, 7, 8, 4095, 4096, 12_345, count - 1]) {
      expect(log.atNs(i)).toBe(2n * BigInt(i));
      expect(idOf(log, i)).toBe(BigInt((i % 10) + 1));
    }
    expect(log.indexAfter(-1n)).toBe(0);
    expect(log.indexAfter(0n)).toBe(1);
    expect(log.indexAfter(2n * 12_345n)).toBe(12_346);
    expect(log.indexAfter(2n * 12_345n + 1n)).toBe(12_346);
    expect(log.indexAfter(2n * BigInt(count))).toBe(count);
    log.close();
  });

  it("keeps recording lines as text and decodes them when read", () => {
    const log = new SpillFrameLog();
    log.appendLine(updateLine(update(4), 40n).trimEnd(), 40n, false);
    log.append(update(5), 50n, false);
    log.appendLine('{"t":"60","update":{"now":"not a time"}}', 60n, true);
    expect(idOf(log, 0)).toBe(5n);
    expect(idOf(log, 1)).toBe(6n);
    // A line that no longer decodes plays as an empty update at its time.
    expect(log.frame(2)).toEqual({ atNs: 60n, restart: true, update: create(UpdateSchema, { now: nanosToTimestamp(60n) }) });
    log.close();
  });
});
