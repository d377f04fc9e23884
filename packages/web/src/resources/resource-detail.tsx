/** A resource's details: its attributes, who waits on it and why, and who can free it. */
import { useEffect, useState } from "preact/hooks";
import { fetchResource } from "../api/server-api.ts";
import type { WebResourceDetail } from "../api/types.ts";

interface Props {
  readonly resourceKey: string;
  readonly seq: number;
  onOpenTask(key: string): void;
}

export function ResourceDetailPane({ resourceKey, seq, onOpenTask }: Props) {
  const [detail, setDetail] = useState<WebResourceDetail | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    fetchResource(resourceKey).then(
      (d) => live && setDetail(d ?? null),
      () => live && setDetail(null),
    );
    return () => {
      live = false;
    };
  }, [resourceKey, seq]);

  if (detail === undefined) return <p class="muted">loading resource…</p>;
  if (detail === null) return <p class="muted">This resource is gone.</p>;
  const r = detail.row;
  return (
    <article class="detail resource-detail" data-resource-key={r.key}>
      <h2>
        {r.name || `${r.type} ${r.id}`} <span class="muted">{r.type}</span>
      </h2>
      <dl class="facts">
        <dt>kind</dt>
        <dd>{r.kind || "-"}</dd>
        <dt>created at</dt>
        <dd class="loc">{r.location || "unknown"}</dd>
        {detail.attributes.map(([k, v]) => (
          <>
            <dt key={`k${k}`}>{k}</dt>
            <dd key={`v${k}`}>{v}</dd>
          </>
        ))}
      </dl>
      <h3>Waiting on it</h3>
      {detail.waiting.length === 0 ? (
        <p class="muted">no task</p>
      ) : (
        <ul>
          {detail.waiting.map((w) => (
            <li key={w.taskKey}>
              <button type="button" class="link" onClick={() => onOpenTask(w.taskKey)}>
                {w.taskLabel}
              </button>{" "}
              <span class="reason">{w.reason}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Who can free it</h3>
      {detail.unreachable ? (
        <p class="unreachable">
          The target proved that no code still able to run can reach it (garbage collection): only the tasks below could ever use it again.
        </p>
      ) : null}
      {detail.freers.length === 0 ? (
        <p class="muted">no task is known to be able to free it</p>
      ) : (
        <ul class="freers">
          {detail.freers.map((f, i) => (
            <li key={i}>
              <button type="button" class="link" onClick={() => onOpenTask(f.taskKey)}>
                {f.taskLabel}
              </button>{" "}
              <span class="role">{f.role}</span>
              <span class="muted" data-certainty={f.certain ? "certain" : "possible"}>
                {f.certain ? " (certain" : " (possible: other code could free it too"}
                {f.inferred ? ", inferred)" : ")"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
