/** Graphviz DOT for a {@link GraphView}: tasks as ellipses, resources as boxes, inferred edges dashed. */
import type { GraphView } from "./graph-view.js";

/**
 * Escapes text for a double-quoted DOT string. Backslashes are doubled
 * because DOT gives `\n`, `\l`, `\N`... meaning inside labels; control
 * characters become spaces so a name cannot break the line structure.
 */
export function escapeDot(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\u0000-\u001f\u007f]/g, " ");
}

export interface DotOptions {
  /** The graph's name (default `insight`). */
  readonly name?: string;
  /** Layout direction (default LR). */
  readonly rankdir?: "LR" | "TB";
}

export function toDot(view: GraphView, options: DotOptions = {}): string {
  const lines = [`digraph "${escapeDot(options.name ?? "insight")}" {`, `  rankdir=${options.rankdir ?? "LR"};`];
  for (const node of view.nodes) {
    const shape = node.kind === "task" ? "ellipse" : "box";
    lines.push(`  "${node.key}" [label="${escapeDot(node.label)}", shape=${shape}];`);
  }
  for (const edge of view.edges) {
    const style = edge.inferred ? ", style=dashed" : "";
    lines.push(`  "${edge.from}" -> "${edge.to}" [label="${escapeDot(edge.label)}"${style}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
