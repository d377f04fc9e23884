/** The wake causality graph (who woke whom, how often) as Graphviz DOT or Mermaid. */
import { dotText, mermaidText } from "@async-insight/engine";
import type { TaskRef, WakeGraphEdge, WakeReport } from "./wake-types.js";

const nodeId = (from: WakeGraphEdge["from"] | TaskRef | undefined, spanId?: string) =>
  from === "outside" ? "outside" : from === "?" ? "unknown" : from ? `t${from.spanId.replace(/\W/g, "_")}` : `t${(spanId ?? "").replace(/\W/g, "_")}`;
const label = (from: WakeGraphEdge["from"] | TaskRef | undefined, spanId?: string) =>
  from === "outside" ? "outside the runtime" : from === "?" ? "unknown" : from ? `${from.name} [${from.spanId}]` : `task span ${spanId}`;

// Names come from the trace file: the one sanitiser shows controls as escape text, caps the width and escapes for each format.
const dotEscape = (text: string) => dotText(text);
const mermaidEscape = (text: string) => mermaidText(text);

export function wakeGraphToDot(report: WakeReport): string {
  const lines = ["digraph wakes {", "  rankdir=LR;", '  node [shape=box, fontname="monospace"];'];
  const nodes = new Map<string, string>();
  for (const e of report.edges) {
    nodes.set(nodeId(e.from), label(e.from));
    nodes.set(nodeId(e.to, e.toSpanId), label(e.to, e.toSpanId));
  }
  for (const [id, text] of nodes) lines.push(`  ${id} [label="${dotEscape(text)}"${id === "outside" ? ", shape=ellipse, style=dashed" : ""}];`);
  for (const e of report.edges) lines.push(`  ${nodeId(e.from)} -> ${nodeId(e.to, e.toSpanId)} [label="${e.count}${e.self ? " self" : ""}"];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

export function wakeGraphToMermaid(report: WakeReport): string {
  const lines = ["flowchart LR"];
  const nodes = new Map<string, string>();
  for (const e of report.edges) {
    nodes.set(nodeId(e.from), label(e.from));
    nodes.set(nodeId(e.to, e.toSpanId), label(e.to, e.toSpanId));
  }
  for (const [id, text] of nodes) lines.push(id === "outside" ? `  ${id}(["${mermaidEscape(text)}"])` : `  ${id}["${mermaidEscape(text)}"]`);
  for (const e of report.edges) lines.push(`  ${nodeId(e.from)} -->|"${e.count}${e.self ? " self" : ""}"| ${nodeId(e.to, e.toSpanId)}`);
  return `${lines.join("\n")}\n`;
}
