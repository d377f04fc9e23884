/** One normalized event as one readable line: line number, time, kind, span ids, what happened. */
import { FIELD_WIDTH, LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import type { RuntimeEvent, ScopeSpan } from "../trace-formats/runtime-event.js";
import { formatTimestampNs } from "../trace-formats/timestamp.js";
import type { Wake } from "../wake-graph/wake-types.js";
import type { Paint, PaintKind } from "./colours.js";

/** Every value below comes from the trace file: untrusted, so made safe and capped where it is printed. */
const t = (value: unknown, width: number = FIELD_WIDTH) => safeText(String(value), width);

const KIND_PAINT: Record<ScopeSpan["kind"], PaintKind> = {
  task: "task",
  resource: "resource",
  "async-op": "async-op",
  "async-op-poll": "poll-op",
  other: "dim",
};

export function spanLabel(span: ScopeSpan, paint: Paint): string {
  const f = span.fields;
  let detail = "";
  if (span.kind === "task") detail = String(f["task.name"] || (f["task.id"] !== undefined ? `task ${f["task.id"]}` : (f["kind"] ?? "")));
  else if (span.kind === "resource") detail = String(f["concrete_type"] ?? "");
  else if (span.kind === "async-op") detail = String(f["source"] ?? "");
  return paint(KIND_PAINT[span.kind], `${span.kind === "other" ? t(span.name) : span.kind}${detail ? ` ${t(detail)}` : ""}[${t(span.id)}]`);
}

function scopeText(scope: readonly ScopeSpan[], paint: Paint): string {
  return scope.length ? ` in ${scope.map((s) => spanLabel(s, paint)).join(" › ")}` : "";
}

export function formatTraceLine(event: RuntimeEvent, paint: Paint, wake?: Wake): string {
  const head = paint("dim", `${String(event.line).padStart(6)} ${event.atNs !== undefined ? formatTimestampNs(event.atNs).slice(11) : "-".repeat(15)}`);
  switch (event.type) {
    case "span":
      return `${head} ${spanLabel(event.span, paint)} ${event.phase}`;
    case "waker": {
      const woken = `[${t(event.taskSpanId)}]`;
      let cause = "";
      if (wake) {
        const by = wake.by ? `${t(wake.by.name)}[${t(wake.by.spanId)}]` : "";
        cause =
          wake.cause === "self"
            ? " (self-wake)"
            : wake.cause === "task"
              ? ` from ${paint("task", by)}`
              : wake.cause === "outside"
                ? " from outside the runtime"
                : ` (cause undetermined${by ? `; ran in ${by}` : ""})`;
        if (!wake.certain) cause += " (inferred)";
      }
      const target = wake?.woken ? `${t(wake.woken.name)}${woken}` : `task span ${woken}`;
      return `${head} ${paint("waker", `waker.${event.op}`)} ${paint("task", target)}${cause}${wake ? "" : scopeText(event.scope, paint)}`;
    }
    case "poll-op":
      return `${head} ${paint("poll-op", `poll_op ${t(event.opName)} → ${event.isReady ? "Ready" : "Pending"}`)}${scopeText(event.scope, paint)}`;
    case "state-update":
      return `${head} ${paint("state", `state ${event.attributes.map((a) => `${t(a.name)}${a.op === "add" ? "+=" : a.op === "sub" ? "-=" : "="}${t(a.value)}${t(a.unit ?? "")}`).join(" ")}`)}${scopeText(event.scope, paint)}`;
    case "log":
      return `${head} ${t(event.level).padEnd(5)} ${t(event.target)}: ${t(event.message, LONG_FIELD_WIDTH)}${Object.entries(event.fields)
        .map(([k, v]) => ` ${t(k)}=${t(v)}`)
        .join("")}${scopeText(event.scope, paint)}`;
  }
}
