/**
 * Every confirmed problem, most severe first. A deadlock cycle lists each of
 * its tasks (type, id, attributes), what each awaits and where, and the docs
 * page; D and M write the cycle as Graphviz or Mermaid.
 */
import { fit, paint } from "../term/ansi.js";
import type { ShownProblem } from "../state/view-model.js";
import { pad } from "./task-view.js";
import { severityBadge, STYLES } from "./theme.js";

function problemLines(problem: ShownProblem, selected: boolean): string[] {
  const lines: string[] = [];
  const gutter = selected ? paint("▶", STYLES.key) : " ";
  lines.push(`${gutter} ${severityBadge(problem.severity)} ${paint(problem.summary, STYLES.title)}  ${paint(`[${problem.lint}]`, STYLES.dim)}`);
  if (problem.explanation) lines.push(`    ${problem.explanation}`);
  if (problem.evidence) lines.push(`    ${paint("rests on:", STYLES.label)} ${problem.evidence}`);
  for (const t of problem.tasks) {
    lines.push(
      `    ${paint(t.kind || "task", STYLES.label)} ${paint(`id ${t.id}`, STYLES.title)} ${t.name ? `"${t.name}"` : ""}${t.attributes ? `  ${paint(t.attributes, STYLES.dim)}` : ""}`,
    );
    for (const w of t.waits) {
      lines.push(`      awaits ${w.resourceLabel} (${w.resourceType}): ${paint(` ${w.reason} `, STYLES.reason)}`);
      if (w.awaitLocation) lines.push(`        at ${w.awaitLocation}${w.awaitSource ? `  ${paint(w.awaitSource, STYLES.source)}` : ""}`);
    }
  }
  lines.push(`    ${paint("docs:", STYLES.label)} ${problem.docsPage}`);
  if (problem.dot) lines.push(`    ${paint("hit D to generate a graphviz .dot file to disk describing the cycle, M for Mermaid", STYLES.key)}`);
  lines.push("");
  return lines;
}

export function renderProblemView(problems: readonly ShownProblem[], selected: number, width: number, height: number): string[] {
  const head = [
    fit(
      `${paint(`Problems (${problems.length})`, STYLES.title)}  ${paint("↑/↓ select · Enter: first task · D: write .dot · M: write Mermaid · Esc: back", STYLES.dim)}`,
      width,
    ),
    " ".repeat(width),
  ];
  if (problems.length === 0) {
    return pad(
      [
        ...head,
        fit(
          paint(
            "  No problems found so far. A deadlock appears here once its evidence is certain (or proven) and it holds for two updates in a row.",
            STYLES.dim,
          ),
          width,
        ),
      ],
      width,
      height,
    );
  }
  const body: string[] = [];
  let selectedStart = 0;
  problems.forEach((problem, i) => {
    if (i === selected) selectedStart = body.length;
    body.push(...problemLines(problem, i === selected));
  });
  const room = Math.max(1, height - head.length);
  // Keep the selected problem's first line in view; show as much of it as fits.
  const start = Math.max(0, Math.min(selectedStart, body.length - room));
  return pad([...head, ...body.slice(start, start + room).map((l) => fit(l, width))], width, height);
}
