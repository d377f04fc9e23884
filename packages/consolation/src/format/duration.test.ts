import { describe, expect, it } from "vitest";
import { formatDuration } from "./duration.js";

describe("formatDuration()", () => {
  it.each([
    [undefined, "-"],
    [0n, "0ns"],
    [999n, "999ns"],
    [1_500n, "1.50µs"],
    [12_345_678n, "12.3ms"],
    [2_000_000_000n, "2.00s"],
    [125_000_000_000n, "2.08m"],
    [-1_000n, "-1.00µs"],
  ])("formats %s as %s", (input, expected) => {
    expect(formatDuration(input)).toBe(expected);
  });
});
