/** DOT and Mermaid text for one cycle: tasks as ellipses, resources as boxes, edges labelled. Stand-in for the engine's exports. */

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly shape: "task" | "resource";
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/** Names come from users; quotes, backslashes and newlines must not end a DOT string early. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

export function toDot(title: string, nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string {
  const lines = [`digraph ${dotString(title)} {`, "  rankdir=LR;", '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];'];
  for (const n of nodes) lines.push(`  ${dotString(n.id)} [label=${dotString(n.label)}, shape=${n.shape === "task" ? "ellipse" : "box"}];`);
  for (const e of edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}];`);
  lines.push("}");
  return lines.join("\n");
}

/** Mermaid labels are quoted; a double quote inside is written as #quot;. */
function mermaidLabel(text: string): string {
  return `"${text.replace(/"/g, "#quot;").replace(/\r?\n/g, " ")}"`;
}

export function toMermaid(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string {
  const ids = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["graph TD"];
  for (const n of nodes) {
    const id = ids.get(n.id)!;
    lines.push(n.shape === "task" ? `  ${id}((${mermaidLabel(n.label)}))` : `  ${id}[${mermaidLabel(n.label)}]`);
  }
  for (const e of edges) lines.push(`  ${ids.get(e.from)} -- ${mermaidLabel(e.label)} --> ${ids.get(e.to)}`);
  return lines.join("\n");
}
