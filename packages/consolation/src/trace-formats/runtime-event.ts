/**
 * The normalized vocabulary every reader produces, whatever the input format.
 * Later stages (wake analysis, conversion to protocol Updates, trace printing,
 * timelines) only ever see these shapes, so adding a format never touches them.
 */

/** What a tracing span stands for in tokio's instrumentation. */
export type SpanKind = "task" | "resource" | "async-op" | "async-op-poll" | "other";

export type FieldMap = Readonly<Record<string, string | number | boolean>>;

/** One span as it appears in an event's scope (root first). */
export interface ScopeSpan {
  /**
   * The tracing span id as a decimal string. Formats without span ids get a
   * synthetic id derived from the span's name and fields; see `synthetic`.
   */
  readonly id: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly fields: FieldMap;
  /** True when the id was made up from name+fields because the format prints no ids. */
  readonly synthetic?: boolean;
}

export type WakerOp = "clone" | "drop" | "wake" | "wake_by_ref";

interface Base {
  /** 1-based line in the input where the record starts. */
  readonly line: number;
  /** Nanoseconds since the Unix epoch; absent when the format has no time. */
  readonly atNs?: bigint;
  /** The spans the record was emitted inside, root first (empty for root events). */
  readonly scope: readonly ScopeSpan[];
}

/** A span's lifecycle: created, entered (a poll starts), exited, closed. */
export interface SpanEvent extends Base {
  readonly type: "span";
  readonly phase: "new" | "enter" | "exit" | "close";
  readonly span: ScopeSpan;
}

export interface WakerEvent extends Base {
  readonly type: "waker";
  readonly op: WakerOp;
  /** The span id of the woken task's runtime.spawn span (tokio's `task.id` field on waker events). */
  readonly taskSpanId: string;
  /**
   * Set only by formats that decided self-waking themselves (console-subscriber
   * recordings), which do not tell which task was running.
   */
  readonly selfWake?: boolean;
}

/** `runtime::resource::poll_op`: an async op's poll returned Ready or Pending. */
export interface PollOpEvent extends Base {
  readonly type: "poll-op";
  readonly opName: string;
  readonly isReady: boolean;
}

/** `runtime::resource::state_update` or `runtime::resource::async_op::state_update`. */
export interface StateUpdateEvent extends Base {
  readonly type: "state-update";
  readonly target: "resource" | "async-op";
  readonly attributes: readonly StateAttribute[];
}

export interface StateAttribute {
  readonly name: string;
  readonly value: string | number | boolean;
  readonly unit?: string;
  readonly op?: "add" | "sub" | "override";
}

/** Any other event (the program's own logs): kept so the trace view can show context. */
export interface LogEvent extends Base {
  readonly type: "log";
  readonly level: string;
  readonly target: string;
  readonly message: string;
  readonly fields: FieldMap;
}

export type RuntimeEvent = SpanEvent | WakerEvent | PollOpEvent | StateUpdateEvent | LogEvent;

/** A line a reader could not use; reading goes on after it. */
export interface ReadProblem {
  readonly line: number;
  readonly message: string;
  /** True for the last line of an input that ended without a newline (a crash mid-write). */
  readonly truncated?: boolean;
}

export type TraceFormat = "console-recording" | "insight-recording" | "ari" | "fmt" | "json";

/** The innermost task span of a scope, if any: the task being polled when the record was made. */
export function innermostTaskSpan(scope: readonly ScopeSpan[]): ScopeSpan | undefined {
  for (let i = scope.length - 1; i >= 0; i--) {
    if (scope[i]!.kind === "task") return scope[i];
  }
  return undefined;
}

/** Classifies a span by its name (and target where tokio's old name needs it). */
export function spanKindOf(name: string, target?: string): SpanKind {
  switch (name) {
    case "runtime.spawn":
      return "task";
    case "task":
      return target === undefined || target.startsWith("tokio::task") ? "task" : "other";
    case "runtime.resource":
      return "resource";
    case "runtime.resource.async_op":
      return "async-op";
    case "runtime.resource.async_op.poll":
      return "async-op-poll";
    default:
      return "other";
  }
}

export const WAKER_TARGETS = new Set(["tokio::task::waker", "runtime::waker"]);
export const POLL_OP_TARGET = "runtime::resource::poll_op";
export const RESOURCE_STATE_TARGET = "runtime::resource::state_update";
export const ASYNC_OP_STATE_TARGET = "runtime::resource::async_op::state_update";

/** `waker.wake_by_ref` → `wake_by_ref`; undefined for anything else. */
export function wakerOpOf(value: unknown): WakerOp | undefined {
  const text = String(value).replace(/^"|"$/g, "");
  switch (text) {
    case "waker.clone":
      return "clone";
    case "waker.drop":
      return "drop";
    case "waker.wake":
      return "wake";
    case "waker.wake_by_ref":
      return "wake_by_ref";
    default:
      return undefined;
  }
}
