/** Every problem the lints found, with the lint's docs page rendered beside it. */
import { useEffect, useMemo, useState } from "preact/hooks";
import { fetchDocs } from "../api/server-api.ts";
import type { WebProblem, WebTaskRow } from "../api/types.ts";
import { parseMarkdown } from "./markdown.ts";
import { MarkdownView } from "./markdown-view.tsx";

interface Props {
  readonly problems: readonly WebProblem[];
  readonly rows: readonly WebTaskRow[];
  onOpenTask(key: string): void;
}

/** A runtime with thousands of stuck tasks can raise thousands of problems; the first ones tell the story. */
const PROBLEM_LIMIT = 200;

function DocsPage({ lint }: { lint: string }) {
  const [text, setText] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setText(undefined);
    fetchDocs(lint).then(
      (t) => live && setText(t ?? null),
      () => live && setText(null),
    );
    return () => {
      live = false;
    };
  }, [lint]);
  const blocks = useMemo(() => (text ? parseMarkdown(text) : []), [text]);
  if (text === undefined) return <p class="muted">loading docs…</p>;
  if (text === null)
    return (
      <p class="muted">
        No docs page for “{lint}” yet (docs/problems/{lint}.md).
      </p>
    );
  return <MarkdownView blocks={blocks} />;
}

export function ProblemsPanel({ problems, rows, onOpenTask }: Props) {
  const [open, setOpen] = useState<string | undefined>(undefined);
  const labels = useMemo(() => new Map(rows.map((r) => [r.key, r.name ? `task ${r.id} ${r.name}` : `task ${r.id}`])), [rows]);
  const lint = open ?? problems[0]?.lint;
  if (problems.length === 0)
    return (
      <section class="problems-pane">
        <p class="muted">No problems found. Lints run on every update.</p>
      </section>
    );
  return (
    <section class="problems-pane" aria-label="problems">
      <ul class="problem-list">
        {problems.length > PROBLEM_LIMIT ? (
          <li class="muted">
            showing {PROBLEM_LIMIT} of {problems.length}, most severe first
          </li>
        ) : null}
        {problems.slice(0, PROBLEM_LIMIT).map((p, i) => (
          <li key={`${p.lint}-${i}`} class={`problem severity-${p.severity}${p.lint === lint ? " open" : ""}`} data-lint={p.lint}>
            <button type="button" class="problem-title" onClick={() => setOpen(p.lint)}>
              <span class="severity">{p.severity}</span> {p.summary}
            </button>
            <p>{p.explanation}</p>
            {p.evidence ? <p class="evidence">rests on: {p.evidence}</p> : null}
            <div class="problem-tasks">
              {p.taskKeys.map((key) => (
                <button key={key} type="button" class="link" onClick={() => onOpenTask(key)}>
                  {labels.get(key) ?? `task ${key}`}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
      {lint && (
        <section class="docs-page" aria-label="docs page">
          <DocsPage lint={lint} />
        </section>
      )}
    </section>
  );
}
