/** Mermaid flowchart text for a {@link GraphView}, in the story's `graph TD` form. */
import { FIELD_WIDTH, mermaidText } from "@async-insight/protocol/text";
import type { GraphView } from "./graph-view.js";

/**
 * Untrusted text for a double-quoted Mermaid label: controls shown as escape
 * text, the width capped, then Mermaid's entity codes for the characters that
 * could end the label or be read as markup (see {@link mermaidText}).
 */
export function escapeMermaid(text: string, maxWidth: number = FIELD_WIDTH): string {
  return mermaidText(text, maxWidth);
}

export function toMermaid(view: GraphView): string {
  const lines = ["graph TD"];
  for (const node of view.nodes) {
    const label = `"${escapeMermaid(node.label)}"`;
    lines.push(node.kind === "task" ? `  ${node.key}((${label}))` : `  ${node.key}[${label}]`);
  }
  for (const edge of view.edges) {
    const label = `"${escapeMermaid(edge.label)}"`;
    lines.push(edge.inferred ? `  ${edge.from} -. ${label} .-> ${edge.to}` : `  ${edge.from} -- ${label} --> ${edge.to}`);
  }
  return `${lines.join("\n")}\n`;
}
