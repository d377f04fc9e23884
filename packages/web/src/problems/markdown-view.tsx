/** Draws a parsed Markdown page with Preact elements and text nodes only. */
import type { Block, Inline } from "./markdown.ts";

function InlineView({ nodes }: { nodes: readonly Inline[] }) {
  return (
    <>
      {nodes.map((node, index) => {
        switch (node.type) {
          case "text":
            return node.text;
          case "code":
            return <code key={index}>{node.text}</code>;
          case "strong":
            return (
              <strong key={index}>
                <InlineView nodes={node.children} />
              </strong>
            );
          case "em":
            return (
              <em key={index}>
                <InlineView nodes={node.children} />
              </em>
            );
          case "link":
            return node.href ? (
              <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
                <InlineView nodes={node.children} />
              </a>
            ) : (
              <span key={index}>
                <InlineView nodes={node.children} />
              </span>
            );
        }
      })}
    </>
  );
}

function BlockView({ block }: { block: Block }) {
  switch (block.type) {
    case "heading": {
      const Tag = `h${Math.min(6, block.level + 2)}` as "h3";
      return (
        <Tag>
          <InlineView nodes={block.children} />
        </Tag>
      );
    }
    case "paragraph":
      return (
        <p>
          <InlineView nodes={block.children} />
        </p>
      );
    case "quote":
      return (
        <blockquote>
          <InlineView nodes={block.children} />
        </blockquote>
      );
    case "code":
      return (
        <pre>
          <code>{block.text}</code>
        </pre>
      );
    case "rule":
      return <hr />;
    case "list": {
      const items = block.items.map((item, index) => (
        <li key={index}>
          <InlineView nodes={item} />
        </li>
      ));
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case "table":
      return (
        <table class="md-table">
          <thead>
            <tr>
              {block.header.map((cell, index) => (
                <th key={index}>
                  <InlineView nodes={cell} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c}>
                    <InlineView nodes={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
}

export function MarkdownView({ blocks }: { blocks: readonly Block[] }) {
  return (
    <div class="markdown">
      {blocks.map((block, index) => (
        <BlockView key={index} block={block} />
      ))}
    </div>
  );
}
