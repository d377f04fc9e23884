import { describe, expect, it } from "vitest";
import { spanKeyOf, spanKeyOfText } from "./span-key.js";

describe("span keys", () => {
  // The stats maps name a span by its decimal text, messages by its bigint: both must find one entry.
  const ids = [0n, 1n, 4_294_967_297n, 999_999_999_999_999n, 2_251_799_813_685_249n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n];

  it("maps a span's bigint and its decimal text to the same key", () => {
    for (const id of ids) expect(spanKeyOfText(String(id)), String(id)).toBe(spanKeyOf(id));
  });

  it("keeps every id a double holds exactly as a number, and the rest as text", () => {
    expect(spanKeyOf(2_251_799_813_685_249n)).toBe(2_251_799_813_685_249);
    expect(spanKeyOf(2n ** 53n)).toBe(2 ** 53);
    expect(spanKeyOf(2n ** 53n + 1n)).toBe("9007199254740993");
    expect(spanKeyOfText("18446744073709551615")).toBe("18446744073709551615");
  });

  it("turns every key back into its span id", () => {
    for (const id of ids) expect(BigInt(spanKeyOf(id))).toBe(id);
  });
});
