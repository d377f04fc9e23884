/** Graphviz DOT for a {@link GraphView}: tasks as ellipses, resources as boxes, inferred edges dashed. */
import { dotText, FIELD_WIDTH } from "@async-insight/protocol/text";
import type { GraphView } from "./graph-view.js";

/**
 * Untrusted text for a double-quoted DOT string: controls shown as escape
 * text, the width capped, then backslashes and quotes escaped (see
 * {@link dotText}).
 */
export function escapeDot(text: string, maxWidth: number = FIELD_WIDTH): string {
  return dotText(text, maxWidth);
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
