import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, safeHref } from "./markdown.ts";

describe("markdown reader", () => {
  it("reads the block structure of a docs page", () => {
    const blocks = parseMarkdown(
      [
        "# Deadlock cycle",
        "",
        "Tasks wait on each other.",
        "More text.",
        "",
        "- one",
        "- two `code`",
        "",
        "```rust",
        "let x = 1;",
        "```",
        "",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
      ].join("\n"),
    );
    expect(blocks.map((b) => b.type)).toEqual(["heading", "paragraph", "list", "code", "table"]);
    expect(blocks[1]).toEqual({ type: "paragraph", children: [{ type: "text", text: "Tasks wait on each other. More text." }] });
    expect(blocks[3]).toEqual({ type: "code", language: "rust", text: "let x = 1;" });
  });

  it("keeps markup in the text as text", () => {
    expect(parseInline("<img src=x onerror=alert(1)>")).toEqual([{ type: "text", text: "<img src=x onerror=alert(1)>" }]);
    expect(parseMarkdown("<script>alert(1)</script>")).toEqual([{ type: "paragraph", children: [{ type: "text", text: "<script>alert(1)</script>" }] }]);
  });

  it("keeps only web and in-page links", () => {
    expect(safeHref("https://docs.rs/tokio")).toBe("https://docs.rs/tokio");
    expect(safeHref("#fixes")).toBe("#fixes");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref(" JaVaScRiPt:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,<b>")).toBeNull();
    expect(parseInline("see [the fix](javascript:alert(1)) and **bold _em_**")).toEqual([
      { type: "text", text: "see " },
      { type: "link", href: null, children: [{ type: "text", text: "the fix" }] },
      { type: "text", text: ") and " },
      {
        type: "strong",
        children: [
          { type: "text", text: "bold " },
          { type: "em", children: [{ type: "text", text: "em" }] },
        ],
      },
    ]);
  });
});
