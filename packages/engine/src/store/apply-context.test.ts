import { describe, expect, it } from "vitest";
import { resolveStoreOptions, timelineCapacityFor } from "./apply-context.js";

describe("timelineCapacityFor", () => {
  it("keeps 64 entries a task up to 5,000 tasks, then shares 320,000 entries, never under 16", () => {
    const defaults = resolveStoreOptions();
    expect([1, 5_000, 10_000, 20_000, 100_000].map((n) => timelineCapacityFor(defaults, n))).toEqual([64, 64, 32, 16, 16]);
  });

  it("keeps an explicit capacity whatever the task count", () => {
    const explicit = resolveStoreOptions({ timelineCapacity: 64 });
    expect(timelineCapacityFor(explicit, 100_000)).toBe(64);
    expect(timelineCapacityFor(resolveStoreOptions({ timelineCapacity: 8 }), 1)).toBe(8);
  });
});
