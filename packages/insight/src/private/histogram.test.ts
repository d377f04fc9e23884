import { describe, expect, it } from "vitest";
import { decodeHdrHistogram } from "@async-insight/protocol";
import { DurationRecorder, HISTOGRAM_MAX_NS } from "./histogram.js";

describe("DurationRecorder", () => {
  it("round-trips through the protocol's V2 decoder", () => {
    const recorder = new DurationRecorder();
    const values = [0, 1, 127, 128, 255, 256, 1000, 12_345, 999_999, 5_000_000, 250_000_000];
    for (const v of values) recorder.record(v);
    recorder.record(1000);
    const histogram = decodeHdrHistogram(recorder.encode());
    expect(histogram.totalCount).toBe(BigInt(values.length + 1));
    expect(histogram.significantFigures).toBe(2);
    expect(histogram.highestTrackableValue).toBe(BigInt(HISTOGRAM_MAX_NS));
    for (const v of values) {
      // Every value lands in a bucket whose range contains it.
      const found = histogram.recorded().some((r) => histogram.lowestEquivalent(r.value) <= BigInt(v) && BigInt(v) <= r.value);
      expect(found, `value ${v}`).toBe(true);
    }
    expect(histogram.max()).toBeGreaterThanOrEqual(250_000_000n);
    const thousand = histogram.recorded().find((r) => histogram.lowestEquivalent(r.value) <= 1000n && 1000n <= r.value);
    expect(thousand?.count).toBe(2n);
  });

  it("clamps values past the maximum and counts them as outliers", () => {
    const recorder = new DurationRecorder();
    recorder.record(5e9);
    expect(recorder.highOutliers).toBe(1);
    expect(recorder.highestOutlier).toBe(5e9);
    expect(decodeHdrHistogram(recorder.encode()).max()).toBeGreaterThanOrEqual(BigInt(HISTOGRAM_MAX_NS));
  });

  it("encodes an empty histogram", () => {
    expect(decodeHdrHistogram(new DurationRecorder().encode()).totalCount).toBe(0n);
  });
});
