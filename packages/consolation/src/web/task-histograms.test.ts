import { create } from "@bufbuild/protobuf";
import { tasks } from "@async-insight/protocol";
import { describe, expect, it } from "vitest";
import { summarizeDetails, summarizeHistogramMs } from "./task-histograms.js";

describe("task histograms", () => {
  it("has nothing to say about a missing or unreadable histogram", () => {
    expect(summarizeHistogramMs(undefined)).toBeNull();
    expect(summarizeHistogramMs(create(tasks.DurationHistogramSchema, { rawHistogram: new Uint8Array([1, 2, 3]) }))).toBeNull();
    const empty = summarizeDetails(create(tasks.TaskDetailsSchema, {}), "7");
    expect(empty).toEqual({ taskKey: "7", poll: null, scheduled: null });
  });
});
