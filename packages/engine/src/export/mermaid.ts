/** Mermaid flowchart text for a {@link GraphView}, in the story's `graph TD` form. */
import type { GraphView } from "./graph-view.js";

/**
 * Escapes text for a double-quoted Mermaid label using its entity codes, so
 * quotes, angle brackets and `#` in user names cannot end the label or be
 * read as markup. Line breaks become spaces.
 */
export function escapeMermaid(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/[\u0000-\u001f\u007f]/g, " ");
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
