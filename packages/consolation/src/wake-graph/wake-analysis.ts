/**
 * Reads a stream of normalized runtime events and works out, for every task,
 * its polls (with busy and scheduled time), its waker clones and drops, and
 * for every wake who caused it.
 *
 * A wake's cause is read off the record's scope: the innermost task span the
 * waker event was emitted inside is the task whose code ran the wake. When that
 * is the woken task itself it is a self-wake; when there is no task span at
 * all the wake came from outside the runtime.
 *
 * tokio enters a task's span once more to drop its finished future, just
 * before the span closes. That enter/exit pair is not a poll; it is recognised
 * as the last pair before close when nothing was logged inside it and the task
 * had already been polled.
 */
import { innermostTaskSpan, type RuntimeEvent, type ScopeSpan } from "../trace-formats/runtime-event.js";
import type { Poll, TaskRef, TaskSummary, Wake, WakeCause, WakeGraphEdge, WakeReport } from "./wake-types.js";

interface OpenPoll {
  startNs: bigint;
  startLine: number;
  scheduledNs: bigint;
  endNs?: bigint;
  active: boolean;
}

interface TaskState {
  ref: TaskRef;
  kind: string;
  createdNs?: bigint;
  closedNs?: bigint;
  depth: number;
  polls: number;
  busyNs: bigint;
  scheduledNs: bigint;
  wakes: number;
  selfWakes: number;
  clones: number;
  drops: number;
  dropEnters: number;
  lastPollEndNs?: bigint;
  /** First wake since the last poll started; starts the scheduled interval. */
  wokenAtNs?: bigint;
  current?: OpenPoll;
  /** A finished enter/exit pair not yet known to be a poll or the final drop. */
  tentative?: OpenPoll;
}

export interface WakeAnalysisOptions {
  /** Keep every poll and wake (for reports and timelines); off for summaries of huge traces. */
  readonly keepDetails?: boolean;
  readonly onPoll?: (poll: Poll) => void;
  readonly onWake?: (wake: Wake) => void;
}

export function taskRefOf(span: ScopeSpan): TaskRef {
  const name = span.fields["task.name"];
  const taskId = span.fields["task.id"];
  return {
    spanId: span.id,
    name: typeof name === "string" && name !== "" ? name : taskId !== undefined ? `task ${taskId}` : `span ${span.id}`,
    ...(taskId !== undefined ? { taskId: String(taskId) } : {}),
  };
}

export class WakeAnalysis {
  readonly #tasks = new Map<string, TaskState>();
  readonly #polls: Poll[] = [];
  readonly #wakes: Wake[] = [];
  readonly #edges = new Map<string, { from: TaskRef | "outside" | "?"; toSpanId: string; count: number; self: boolean }>();
  #joinable = true;
  #lastNs = 0n;

  constructor(private readonly options: WakeAnalysisOptions = {}) {}

  event(event: RuntimeEvent): void {
    const at = event.atNs ?? this.#lastNs;
    this.#lastNs = at;
    // Anything logged inside a task's poll shows the poll did work.
    for (const span of event.scope) {
      if (span.kind !== "task") continue;
      if (span.synthetic) this.#joinable = false;
      const state = this.#tasks.get(span.id);
      if (state?.current && !(event.type === "span" && event.span.id === span.id)) state.current.active = true;
    }
    if (event.type === "span" && event.span.kind === "task") this.#spanEvent(event.phase, event.span, at, event.line);
    else if (event.type === "waker") this.#wakerEvent(event, at);
  }

  #task(span: ScopeSpan): TaskState {
    let state = this.#tasks.get(span.id);
    if (!state) {
      state = {
        ref: taskRefOf(span),
        kind: String(span.fields["kind"] ?? "task"),
        depth: 0,
        polls: 0,
        busyNs: 0n,
        scheduledNs: 0n,
        wakes: 0,
        selfWakes: 0,
        clones: 0,
        drops: 0,
        dropEnters: 0,
      };
      this.#tasks.set(span.id, state);
    }
    return state;
  }

  #spanEvent(phase: "new" | "enter" | "exit" | "close", span: ScopeSpan, at: bigint, line: number): void {
    const state = this.#task(span);
    switch (phase) {
      case "new":
        state.createdNs ??= at;
        return;
      case "enter": {
        if (state.depth++ > 0) return;
        if (state.tentative) this.#commit(state, state.tentative);
        state.tentative = undefined;
        const since = state.wokenAtNs ?? state.createdNs;
        const from = since !== undefined && state.lastPollEndNs !== undefined && state.lastPollEndNs > since ? state.lastPollEndNs : since;
        state.current = { startNs: at, startLine: line, scheduledNs: from !== undefined && at > from ? at - from : 0n, active: false };
        state.wokenAtNs = undefined;
        return;
      }
      case "exit": {
        if (state.depth === 0 || --state.depth > 0 || !state.current) return;
        state.current.endNs = at;
        state.tentative = state.current;
        state.current = undefined;
        state.lastPollEndNs = at;
        return;
      }
      case "close": {
        state.closedNs = at;
        const last = state.tentative;
        state.tentative = undefined;
        if (last) {
          if (!last.active && state.polls > 0) state.dropEnters++;
          else this.#commit(state, last);
        }
        return;
      }
    }
  }

  #commit(state: TaskState, open: OpenPoll): void {
    state.polls++;
    const endNs = open.endNs ?? open.startNs;
    const busyNs = endNs - open.startNs;
    state.busyNs += busyNs;
    state.scheduledNs += open.scheduledNs;
    const poll: Poll = { task: state.ref, index: state.polls, startLine: open.startLine, startNs: open.startNs, endNs, scheduledNs: open.scheduledNs, busyNs };
    if (this.options.keepDetails) this.#polls.push(poll);
    this.options.onPoll?.(poll);
  }

  #wakerEvent(event: Extract<RuntimeEvent, { type: "waker" }>, at: bigint): void {
    const wokenState = this.#tasks.get(event.taskSpanId);
    if (event.op === "clone") {
      if (wokenState) wokenState.clones++;
      return;
    }
    if (event.op === "drop") {
      if (wokenState) wokenState.drops++;
      return;
    }
    const { cause, by, certain } = this.#cause(event);
    if (wokenState) {
      wokenState.wakes++;
      if (event.op === "wake") wokenState.drops++; // waking by value consumes the waker
      if (cause === "self") wokenState.selfWakes++;
      // A self-wake during the poll makes the task runnable again at once.
      wokenState.wokenAtNs ??= at;
    }
    const wake: Wake = {
      line: event.line,
      atNs: at,
      op: event.op,
      woken: wokenState?.ref,
      wokenSpanId: event.taskSpanId,
      cause,
      ...(by ? { by } : {}),
      certain,
    };
    const from = cause === "outside" ? "outside" : cause === "undetermined" ? (by ?? "?") : by!;
    const key = `${typeof from === "string" ? from : from.spanId}->${event.taskSpanId}`;
    const edge = this.#edges.get(key) ?? { from, toSpanId: event.taskSpanId, count: 0, self: cause === "self" };
    edge.count++;
    this.#edges.set(key, edge);
    if (this.options.keepDetails) this.#wakes.push(wake);
    this.options.onWake?.(wake);
  }

  #cause(event: Extract<RuntimeEvent, { type: "waker" }>): { cause: WakeCause; by?: TaskRef; certain: boolean } {
    if (event.selfWake !== undefined) {
      // A console-subscriber recording: it decided self-wakes, and says nothing else.
      const woken = this.#tasks.get(event.taskSpanId);
      if (event.selfWake) return { cause: "self", ...(woken ? { by: woken.ref } : {}), certain: true };
      // Runtime worker threads are blocking tasks entered for their whole life; they wake nobody themselves.
      const running = [...this.#tasks.values()].filter((t) => t.depth > 0 && t.kind !== "blocking" && t.ref.spanId !== event.taskSpanId);
      if (running.length === 0) return { cause: "outside", certain: false };
      if (running.length === 1) return { cause: "task", by: running[0]!.ref, certain: false };
      return { cause: "undetermined", certain: false };
    }
    const waker = innermostTaskSpan(event.scope);
    if (!waker) return { cause: "outside", certain: true };
    const by = this.#tasks.get(waker.id)?.ref ?? taskRefOf(waker);
    if (waker.synthetic) return { cause: "undetermined", by, certain: false };
    return waker.id === event.taskSpanId ? { cause: "self", by, certain: true } : { cause: "task", by, certain: true };
  }

  /** Ends the analysis: a last enter/exit pair of a task that never closed counts as a poll. */
  finish(): WakeReport {
    for (const state of this.#tasks.values()) {
      if (state.tentative) this.#commit(state, state.tentative);
      state.tentative = undefined;
    }
    const tasks: TaskSummary[] = [...this.#tasks.values()].map((s) => ({
      task: s.ref,
      kind: s.kind,
      ...(s.createdNs !== undefined ? { createdNs: s.createdNs } : {}),
      ...(s.closedNs !== undefined ? { closedNs: s.closedNs } : {}),
      polls: s.polls,
      busyNs: s.busyNs,
      scheduledNs: s.scheduledNs,
      wakes: s.wakes,
      selfWakes: s.selfWakes,
      wakerClones: s.clones,
      wakerDrops: s.drops,
      dropEnters: s.dropEnters,
    }));
    const edges: WakeGraphEdge[] = [...this.#edges.values()].map((e) => ({ ...e, to: this.#tasks.get(e.toSpanId)?.ref }));
    return { tasks, polls: this.#polls, wakes: this.#wakes, edges, joinable: this.#joinable };
  }
}
