/**
 * Turns one parsed tracing record (any text or JSON format) into a normalized
 * runtime event, using tokio's instrumentation vocabulary: the event target
 * tells waker, poll-op and state-update events apart; everything else is the
 * program's own logging.
 */
import {
  ASYNC_OP_STATE_TARGET,
  POLL_OP_TARGET,
  RESOURCE_STATE_TARGET,
  WAKER_TARGETS,
  wakerOpOf,
  type FieldMap,
  type RuntimeEvent,
  type ScopeSpan,
  type StateAttribute,
} from "./runtime-event.js";

export interface ParsedRecord {
  readonly line: number;
  readonly atNs?: bigint;
  readonly level: string;
  readonly target: string;
  readonly scope: readonly ScopeSpan[];
  readonly fields: FieldMap;
  readonly message: string;
}

export type ClassifiedRecord = RuntimeEvent | { readonly problem: string };

const SPAN_PHASES = new Set(["new", "enter", "exit", "close"]);

/** A span event (fmt/JSON `FmtSpan`, whose message is the phase) for the innermost scope span. */
export function spanPhaseOf(message: string): "new" | "enter" | "exit" | "close" | undefined {
  return SPAN_PHASES.has(message) ? (message as "new" | "enter" | "exit" | "close") : undefined;
}

export function classifyRecord(record: ParsedRecord): ClassifiedRecord {
  const base = { line: record.line, scope: record.scope, ...(record.atNs !== undefined ? { atNs: record.atNs } : {}) };
  const { target, fields } = record;
  if (WAKER_TARGETS.has(target)) {
    const op = wakerOpOf(fields["op"]);
    const id = fields["task.id"];
    if (!op || id === undefined) return { problem: `waker event without a known op and task.id` };
    return { ...base, type: "waker", op, taskSpanId: String(id) };
  }
  if (target === POLL_OP_TARGET) {
    return { ...base, type: "poll-op", opName: String(fields["op_name"] ?? ""), isReady: fields["is_ready"] === true };
  }
  if (target === RESOURCE_STATE_TARGET || target === ASYNC_OP_STATE_TARGET) {
    return {
      ...base,
      type: "state-update",
      target: target === RESOURCE_STATE_TARGET ? "resource" : "async-op",
      attributes: stateAttributes(fields),
    };
  }
  return { ...base, type: "log", level: record.level, target, message: record.message, fields };
}

/** Folds `<attr>.op` and `<attr>.unit` companions into their attribute. */
export function stateAttributes(fields: FieldMap): StateAttribute[] {
  const out: StateAttribute[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (name.endsWith(".op") || name.endsWith(".unit")) continue;
    const op = fields[`${name}.op`];
    const unit = fields[`${name}.unit`];
    out.push({
      name,
      value,
      ...(op === "add" || op === "sub" || op === "override" ? { op } : {}),
      ...(unit !== undefined ? { unit: String(unit) } : {}),
    });
  }
  return out;
}

/**
 * Formats without span ids name spans by what they print. Task spans carry
 * tokio's unique `task.id`, so they stay distinct; other spans with identical
 * fields collapse into one (the documented limit of fmt and JSON input).
 */
export function syntheticSpanId(name: string, fields: FieldMap): string {
  if (name === "runtime.spawn" && fields["task.id"] !== undefined) return `~task.id=${fields["task.id"]}`;
  const parts = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${String(fields[k])}`);
  return `~${name}{${parts.join(",")}}`;
}
