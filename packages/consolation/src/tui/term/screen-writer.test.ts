import { describe, expect, it } from "vitest";
import { stripAnsi } from "../../format/strip-ansi.js";
import { fit, paint, visibleWidth } from "./ansi.js";
import { ScreenWriter } from "./screen-writer.js";

describe("ScreenWriter", () => {
  it("rewrites only the rows that changed", () => {
    const writes: string[] = [];
    const writer = new ScreenWriter({ write: (t) => writes.push(t) });
    expect(writer.draw(["a", "b", "c"], 10, 3)).toBe(3);
    expect(writer.draw(["a", "B", "c"], 10, 3)).toBe(1);
    expect(writes[1]).toContain("\x1b[2;1H");
    expect(writes[1]).not.toContain("\x1b[1;1H");
    expect(writer.draw(["a", "B", "c"], 10, 3)).toBe(0);
  });

  it("repaints everything after a resize", () => {
    const writer = new ScreenWriter({ write: () => {} });
    writer.draw(["a", "b"], 10, 2);
    expect(writer.draw(["a", "b"], 12, 2)).toBe(2);
  });
});

describe("fit", () => {
  it("pads and clips styled text to an exact width without breaking escapes", () => {
    const styled = paint("hello world", { bold: true });
    expect(visibleWidth(fit(styled, 5))).toBe(5);
    expect(stripAnsi(fit(styled, 5))).toBe("hello");
    expect(fit(styled, 5).endsWith("\x1b[0m")).toBe(true);
    expect(visibleWidth(fit("ab", 6))).toBe(6);
    expect(visibleWidth(fit("宽字符", 4))).toBe(4);
  });
});
