import { describe, expect, it } from "vitest";
import { attrs } from "../testing/fixtures.js";
import { AttributeMap } from "./attributes.js";

describe("AttributeMap", () => {
  it("shares one entry object between equal attributes of different entities", () => {
    const a = new AttributeMap();
    const b = new AttributeMap();
    expect(a.apply(attrs({ duration: 250n, locked: true }), undefined)).toEqual(["duration", "locked"]);
    expect(b.apply(attrs({ duration: 250n, locked: false }), undefined)).toEqual(["duration", "locked"]);
    expect(a.get("duration")).toBe(b.get("duration"));
    expect(a.get("locked")).toEqual({ name: "locked", value: true, unit: undefined });
    expect(b.get("locked")).toEqual({ name: "locked", value: false, unit: undefined });
    expect(a.get("locked")).not.toBe(b.get("locked"));
  });

  it("keeps a string and a number that print alike apart, and folds add ops as before", () => {
    const a = new AttributeMap();
    a.apply(attrs({ n: "7" }), undefined);
    const b = new AttributeMap();
    b.apply(attrs({ n: 7n }), undefined);
    expect(a.get("n")?.value).toBe("7");
    expect(b.get("n")?.value).toBe(7n);
    expect(b.apply(attrs({ n: 5n, "n.op": "add" }), undefined)).toEqual(["n"]);
    expect(b.get("n")?.value).toBe(12n);
    expect(b.apply(attrs({ n: 12n }), undefined)).toEqual([]);
  });
});
