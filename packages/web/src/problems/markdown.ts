/**
 * A small Markdown reader for the problems' docs pages. It produces a tree of
 * plain data that the page turns into elements with text nodes, so nothing in
 * a page (or anything a page quotes) is ever parsed as HTML. It covers what
 * docs pages use: headings, paragraphs, lists, fenced code, block quotes,
 * tables, and inline code, emphasis and links.
 */

export type Inline =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "code"; readonly text: string }
  | { readonly type: "strong"; readonly children: readonly Inline[] }
  | { readonly type: "em"; readonly children: readonly Inline[] }
  | { readonly type: "link"; readonly href: string | null; readonly children: readonly Inline[] };

export type Block =
  | { readonly type: "heading"; readonly level: number; readonly children: readonly Inline[] }
  | { readonly type: "paragraph"; readonly children: readonly Inline[] }
  | { readonly type: "list"; readonly ordered: boolean; readonly items: ReadonlyArray<readonly Inline[]> }
  | { readonly type: "code"; readonly language: string; readonly text: string }
  | { readonly type: "quote"; readonly children: readonly Inline[] }
  | { readonly type: "table"; readonly header: ReadonlyArray<readonly Inline[]>; readonly rows: ReadonlyArray<ReadonlyArray<readonly Inline[]>> }
  | { readonly type: "rule" };

/** Only web and in-page links are kept; `javascript:` and friends become plain text. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (/^https?:\/\//i.test(trimmed) || trimmed.startsWith("#")) return trimmed;
  return null;
}

const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push({ type: "text", text: rest });
      break;
    }
    if (match.index > 0) out.push({ type: "text", text: rest.slice(0, match.index) });
    const [whole, code, strong1, strong2, em1, em2, linkText, href] = match;
    if (code !== undefined) out.push({ type: "code", text: code });
    else if (strong1 !== undefined || strong2 !== undefined) out.push({ type: "strong", children: parseInline(strong1 ?? strong2 ?? "") });
    else if (em1 !== undefined || em2 !== undefined) out.push({ type: "em", children: parseInline(em1 ?? em2 ?? "") });
    else if (linkText !== undefined && href !== undefined) out.push({ type: "link", href: safeHref(href), children: parseInline(linkText) });
    rest = rest.slice(match.index + whole.length);
  }
  return out;
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  const at = (n: number) => lines[n] ?? "";
  while (i < lines.length) {
    const line = at(i);
    if (line.trim() === "") {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)\s*([\w+-]*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !at(i).trim().startsWith(fence[1]!)) body.push(at(i++));
      i++;
      blocks.push({ type: "code", language: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push({ type: "heading", level: heading[1]!.length, children: parseInline(heading[2]!) });
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ type: "rule" });
      i++;
      continue;
    }
    if (line.trim().startsWith("|") && /^\s*\|?\s*:?-+/.test(at(i + 1))) {
      const header = tableCells(line).map(parseInline);
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && at(i).trim().startsWith("|")) rows.push(tableCells(at(i++)).map(parseInline));
      blocks.push({ type: "table", header, rows });
      continue;
    }
    if (line.startsWith(">")) {
      const body: string[] = [];
      while (i < lines.length && at(i).startsWith(">")) body.push(at(i++).replace(/^>\s?/, ""));
      blocks.push({ type: "quote", children: parseInline(body.join(" ")) });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]!);
      const items: Inline[][] = [];
      let current: string[] = [];
      while (i < lines.length) {
        const l = at(i);
        const next = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(l);
        if (next) {
          if (current.length > 0) items.push(parseInline(current.join(" ")));
          current = [next[2]!];
        } else if (l.trim() !== "" && /^\s+/.test(l)) current.push(l.trim());
        else break;
        i++;
      }
      if (current.length > 0) items.push(parseInline(current.join(" ")));
      blocks.push({ type: "list", ordered, items });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && at(i).trim() !== "" && !/^(#{1,6}\s|```|~~~|>|\s*([-*+]|\d+[.)])\s)/.test(at(i))) para.push(at(i++).trim());
    if (para.length === 0) para.push(at(i++).trim());
    blocks.push({ type: "paragraph", children: parseInline(para.join(" ")) });
  }
  return blocks;
}
