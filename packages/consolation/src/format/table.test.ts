import { describe, expect, it } from "vitest";
import { displayWidth } from "@async-insight/engine";
import { renderTable } from "./table.js";

describe("renderTable with untrusted cells", () => {
  const columns = [
    { header: "NAME", cell: (r: { name: string; kind: string }) => r.name },
    { header: "KIND", cell: (r: { name: string; kind: string }) => r.kind },
  ];

  it("aligns columns by terminal cells, so CJK and emoji names keep the next column straight", () => {
    const lines = renderTable(columns, [
      { name: "数据库连接", kind: "a" },
      { name: "👨‍👩‍👧 family", kind: "b" },
      { name: "e\u0301te\u0301", kind: "c" },
      { name: "plain", kind: "d" },
    ]);
    const kindAt = lines.map((line) => displayWidth(line.slice(0, line.lastIndexOf(" ") + 1)));
    expect(new Set(kindAt).size).toBe(1);
    expect(lines[1]).toBe("数据库连接  a");
  });

  it("shows controls as escape text and caps a cell with an ellipsis", () => {
    const lines = renderTable(columns, [{ name: `\x1b]0;t\x07\u202e${"n".repeat(500)}`, kind: "k\r\n" }]);
    expect(lines[1]).toBe(`\\x1b]0;t\\x07\\u202e${"n".repeat(80 - 18 - 1)}…  k\\r\\n`);
  });
});
