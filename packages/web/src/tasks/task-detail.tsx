/**
 * A task's details, as the TUI's task view shows them: state and times, what
 * it waits on (reason, resource, await site and the source line), its parent,
 * wakers and warnings, fields, and poll / scheduled histograms. Refetched
 * whenever a new snapshot arrives, so it stays live.
 */
import { useEffect, useState } from "preact/hooks";
import { fetchHistograms, fetchTask } from "../api/server-api.ts";
import type { WebHistogram, WebHistograms, WebTaskDetail } from "../api/types.ts";
import { formatMs } from "../format.ts";

interface Props {
  readonly taskKey: string;
  readonly seq: number;
  onOpenResource(key: string): void;
  onOpenTask(key: string): void;
}

/** The last two path parts are enough to recognise a runtime file. */
function shortLocation(location: string): string {
  return location.split(/[\\/]/).slice(-2).join("/");
}

function Histogram({ title, histogram }: { title: string; histogram: WebHistogram | null }) {
  if (!histogram || histogram.count === 0) return <p class="muted">{title}: no samples yet</p>;
  const peak = Math.max(1, ...histogram.buckets);
  return (
    <figure class="histogram">
      <figcaption>
        {title}: {histogram.count} samples, {formatMs(histogram.minMs)} – {formatMs(histogram.maxMs)}
      </figcaption>
      <div class="bars">
        {histogram.buckets.map((count, i) => (
          <span key={i} class="bar" style={{ height: `${Math.round((count / peak) * 100)}%` }} title={String(count)} />
        ))}
      </div>
      <div class="percentiles">
        {histogram.percentiles.map(([p, ms]) => (
          <span key={p}>
            p{p} {formatMs(ms)}
          </span>
        ))}
      </div>
    </figure>
  );
}

export function TaskDetailPane({ taskKey, seq, onOpenResource, onOpenTask }: Props) {
  const [detail, setDetail] = useState<WebTaskDetail | null | undefined>(undefined);
  const [histograms, setHistograms] = useState<WebHistograms | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    fetchTask(taskKey).then(
      (d) => live && setDetail(d ?? null),
      () => live && setDetail(null),
    );
    return () => {
      live = false;
    };
  }, [taskKey, seq]);

  useEffect(() => {
    let live = true;
    setHistograms(undefined);
    fetchHistograms(taskKey).then(
      (h) => live && setHistograms(h ?? null),
      () => live && setHistograms(null),
    );
    return () => {
      live = false;
    };
  }, [taskKey]);

  if (detail === undefined) return <p class="muted">loading task…</p>;
  if (detail === null) return <p class="muted">This task is gone (completed tasks are dropped after a while).</p>;
  const r = detail.row;
  const w = detail.wakers;
  return (
    <article class="detail task-detail" data-task-key={r.key}>
      <h2>
        Task {r.id} {r.name ? <span class="name">{r.name}</span> : null} <span class={`state state-${r.state}`}>{r.state}</span>
      </h2>
      <dl class="facts">
        <dt>kind</dt>
        <dd>{r.kind}</dd>
        <dt>spawned at</dt>
        <dd class="loc">{r.location || "unknown"}</dd>
        {detail.parent ? (
          <>
            <dt>parent</dt>
            <dd>
              <button type="button" class="link" onClick={() => onOpenTask(detail.parent!.key)}>
                {detail.parent.label}
              </button>
            </dd>
          </>
        ) : null}
        <dt>total / busy / scheduled / idle</dt>
        <dd>
          {formatMs(r.totalMs)} / {formatMs(r.busyMs)} / {formatMs(r.scheduledMs)} / {formatMs(r.idleMs)}
        </dd>
        <dt>polls</dt>
        <dd>{r.polls}</dd>
      </dl>
      {detail.warnings.length > 0 && (
        <ul class="warnings">
          {detail.warnings.map((text, i) => (
            <li key={i}>⚠ {text}</li>
          ))}
        </ul>
      )}
      <h3>Waiting on</h3>
      {detail.waits.length === 0 ? (
        <p class="muted">nothing right now</p>
      ) : (
        <ul class="waits">
          {detail.waits.map((wait, i) => (
            <li key={i} class="wait">
              <div>
                {wait.resourceKey ? (
                  <button type="button" class="link resource-link" onClick={() => onOpenResource(wait.resourceKey!)}>
                    {wait.resourceLabel}
                  </button>
                ) : (
                  <span>{wait.resourceLabel}</span>
                )}{" "}
                <span class="muted">({wait.resourceType})</span> <span class="reason">{wait.reason}</span>
              </div>
              {wait.awaitLocation && !wait.awaitInternal ? (
                <div class="await-site">
                  await at <span class="loc">{wait.awaitLocation}</span>
                </div>
              ) : (
                <div class="await-site unknown">
                  await site not sent by the runtime
                  {wait.awaitLocation ? <span class="muted"> (only its internal {shortLocation(wait.awaitLocation)})</span> : null}
                  {wait.resourceLocation ? (
                    <>
                      ; {wait.resourceLabel} created at <span class="loc">{wait.resourceLocation}</span>
                    </>
                  ) : null}
                  {r.location ? (
                    <>
                      ; task spawned at <span class="loc">{r.location}</span>
                    </>
                  ) : null}
                </div>
              )}
              {wait.awaitSource ? (
                <pre class="await-source">
                  <code>{wait.awaitSource}</code>
                </pre>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h3>Wakers</h3>
      <dl class="facts">
        <dt>wakes / self-wakes</dt>
        <dd>
          {w.wakes} / {w.selfWakes}
        </dd>
        <dt>waker clones / drops</dt>
        <dd>
          {w.clones} / {w.drops}
        </dd>
        <dt>woken by</dt>
        <dd>{w.wokenBy ?? "unknown"}</dd>
        <dt>last woken</dt>
        <dd>{w.lastWokenAgoMs === null ? "never" : `${formatMs(w.lastWokenAgoMs)} ago`}</dd>
      </dl>
      {detail.fields.length > 0 && (
        <>
          <h3>Fields</h3>
          <dl class="facts">
            {detail.fields.map(([k, v]) => (
              <>
                <dt key={`k${k}`}>{k}</dt>
                <dd key={`v${k}`}>{v}</dd>
              </>
            ))}
          </dl>
        </>
      )}
      <h3>Histograms</h3>
      {histograms === undefined ? (
        <p class="muted">asking the target…</p>
      ) : histograms === null ? (
        <p class="muted">the target sent no histograms for this task</p>
      ) : (
        <>
          <Histogram title="poll times" histogram={histograms.poll} />
          <Histogram title="scheduled times" histogram={histograms.scheduled} />
        </>
      )}
    </article>
  );
}
