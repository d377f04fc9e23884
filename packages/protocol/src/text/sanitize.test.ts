import { describe, expect, it } from "vitest";
import { boundedJsonReplacer, boundText, dotText, mermaidText, safeText, xmlText } from "./sanitize.js";
import { displayWidth } from "./display-width.js";

/** Every code point a terminal, an XML parser or a reader could be fooled by. */
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

describe("safeText", () => {
  it("leaves plain text alone", () => {
    expect(safeText("worker-1 (pool)")).toBe("worker-1 (pool)");
    expect(safeText("数据库连接 🚀")).toBe("数据库连接 🚀");
  });

  it("shows C0, DEL and C1 controls as escape text", () => {
    expect(safeText("a\x1b]0;pwned\x07b")).toBe("a\\x1b]0;pwned\\x07b");
    expect(safeText("x\x1b[2Jy\rz\n\t")).toBe("x\\x1b[2Jy\\rz\\n\\t");
    expect(safeText("del\x7f c1\u009b31m \u0085")).toBe("del\\x7f c1\\x9b31m \\x85");
  });

  it("shows bidi controls, marks and line separators as escape text", () => {
    expect(safeText("evil\u202egnp.exe")).toBe("evil\\u202egnp.exe");
    expect(safeText("\u2066a\u2069\u200e\u200f\u061c\u2028")).toBe("\\u2066a\\u2069\\u200e\\u200f\\u061c\\u2028");
  });

  it("shows lone surrogates and non-characters as escape text but keeps pairs", () => {
    expect(safeText("a\ud800b\udc00c\ufffe")).toBe("a\\ud800b\\udc00c\\ufffe");
    expect(safeText("\ud83d\ude80")).toBe("🚀");
  });

  it("caps the width with an ellipsis, counting escapes as what they show", () => {
    expect(safeText("abcdefghij", 5)).toBe("abcd…");
    expect(safeText("abcde", 5)).toBe("abcde");
    expect(safeText("\x1b\x1b\x1b", 9)).toBe("\\x1b\\x1b…");
    expect(safeText("anything", 1)).toBe("…");
    expect(safeText("anything", 0)).toBe("");
  });

  it("never splits a wide character or an emoji sequence and never exceeds the cap", () => {
    expect(safeText("数据库连接", 6)).toBe("数据…");
    expect(displayWidth(safeText("数据库连接", 6))).toBe(5);
    const family = "👨\u200d👩\u200d👧";
    expect(displayWidth(family)).toBe(2);
    expect(safeText(`${family}${family}${family}`, 4)).toBe(`${family}…`);
    expect(safeText("e\u0301e\u0301e\u0301e\u0301", 3)).toBe("e\u0301e\u0301…");
    for (const text of ["数据库连接abc", "🚀x🚀y🚀", "\x1b[31m红", "ab\u202ecd"]) {
      for (let width = 1; width < 12; width++) expect(displayWidth(safeText(text, width))).toBeLessThanOrEqual(width);
    }
  });

  it("costs the same for a 1 MB name as for a short one and shows it was cut", () => {
    const huge = `\x1b]0;x\x07${"名".repeat(1 << 20)}`;
    const shown = safeText(huge, 40);
    expect(shown.endsWith("…")).toBe(true);
    expect(displayWidth(shown)).toBeLessThanOrEqual(40);
    expect(shown).not.toMatch(RAW);
    expect(safeText("\u200b".repeat(1 << 20), 10)).toBe(`${"\u200b".repeat(144)}…`);
  });
});

describe("boundText", () => {
  it("keeps text up to the bound and says how much it left out", () => {
    expect(boundText("short")).toBe("short");
    expect(boundText("a".repeat(10), 4)).toBe("aaaa… [6 more characters not shown]");
    expect(boundText("x".repeat(1 << 20)).length).toBeLessThan(4200);
  });

  it("never cuts a surrogate pair in half", () => {
    expect(boundText("ab🚀cd", 3)).toBe("ab… [4 more characters not shown]");
  });

  it("bounds every string in a JSON document", () => {
    const json = JSON.stringify({ name: "n".repeat(100_000), id: 7n, list: ["y".repeat(9000)] }, boundedJsonReplacer);
    expect(json.length).toBeLessThan(8400);
    expect(JSON.parse(json).id).toBe("7");
  });
});

describe("output modes", () => {
  it("xmlText is escaped, well-formed and free of controls", () => {
    expect(xmlText(`<a href="x">'&'</a>\x1b\u0000\uffff`)).toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\\x1b\\x00\\uffff");
  });

  it("dotText keeps the quoted string closed", () => {
    expect(dotText('a"b\\c\nd')).toBe('a\\"b\\\\c\\\\nd');
    expect(dotText("\x1b]0;t\x07")).toBe("\\\\x1b]0;t\\\\x07");
  });

  it("mermaidText uses entity codes for label-ending and markup characters", () => {
    expect(mermaidText('x"y#<b>`z`\r')).toBe("x#quot;y#35;#lt;b#gt;#96;z#96;\\r");
  });

  it("caps each mode's output width", () => {
    expect(dotText("d".repeat(500), 20)).toBe(`${"d".repeat(19)}…`);
    expect(mermaidText("m".repeat(500), 20)).toBe(`${"m".repeat(19)}…`);
    expect(xmlText("x".repeat(500), 20)).toBe(`${"x".repeat(19)}…`);
  });
});
