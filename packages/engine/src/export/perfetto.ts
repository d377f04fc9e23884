/**
 * Chrome trace-event JSON (loadable in Perfetto and chrome://tracing) of the
 * task timelines the store observed: one thread per task, polls and
 * scheduled waits as slices, and wakes as flow arrows from the waker's
 * thread to the woken task's next poll. Timelines are sampled per update, so
 * the trace shows what was observed, not every poll.
 */
import type { DisplayId, Nanos } from "../model.js";
import type { RuntimeStore } from "../store/store.js";
import { taskNameOrId } from "./graph-view.js";

export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "M" | "i" | "s" | "f";
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly id?: number;
  readonly bp?: "e";
  readonly s?: "t";
  readonly args?: Record<string, string | number>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: "ns";
  readonly otherData: Record<string, string>;
}

export interface TraceOptions {
  /** Only these tasks (default: all the store holds). */
  readonly tasks?: readonly DisplayId[];
  /** The process name shown in the UI. */
  readonly processName?: string;
}

const PID = 1;
/** Wakes from outside the runtime (woken_by 0) start on this pseudo-thread. */
const OUTSIDE_TID = 0;

export function toChromeTrace(store: RuntimeStore, options: TraceOptions = {}): ChromeTrace {
  const epoch = store.epoch ?? 0n;
  const now = store.now ?? epoch;
  const us = (ns: Nanos) => Number(ns - epoch) / 1000;
  const events: TraceEvent[] = [{ name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: options.processName ?? "insight" } }];
  const wanted = options.tasks ? new Set(options.tasks) : undefined;
  let flowId = 1;
  let outsideNamed = false;
  for (const task of store.tasks()) {
    if (wanted && !wanted.has(task.id)) continue;
    const tid = Number(task.id);
    events.push({ name: "thread_name", ph: "M", pid: PID, tid, args: { name: `${taskNameOrId(task.name, task.id)} (${task.id})` } });
    for (const entry of store.timeline(task.id)) {
      if (entry.type === "poll") {
        const end = entry.end ?? now;
        events.push({ name: "poll", cat: "poll", ph: "X", pid: PID, tid, ts: us(entry.start), dur: Math.max(0, Number(end - entry.start) / 1000) });
      } else if (entry.type === "scheduled") {
        events.push({ name: "scheduled", cat: "scheduled", ph: "X", pid: PID, tid, ts: us(entry.start), dur: Number(entry.end - entry.start) / 1000 });
      } else if (entry.type === "wake") {
        events.push({ name: "woken", cat: "wake", ph: "i", s: "t", pid: PID, tid, ts: us(entry.at) });
        if (entry.waker === undefined || entry.waker === task.id) continue;
        const from = entry.waker === 0n ? OUTSIDE_TID : Number(entry.waker);
        if (from === OUTSIDE_TID && !outsideNamed) {
          events.push({ name: "thread_name", ph: "M", pid: PID, tid: OUTSIDE_TID, args: { name: "outside the runtime" } });
          outsideNamed = true;
        }
        const id = flowId++;
        // A flow start binds to an enclosing slice, so give the wake a 1 µs one on the waker's thread.
        events.push({ name: `wake ${task.id}`, cat: "wake", ph: "X", pid: PID, tid: from, ts: us(entry.at), dur: 1 });
        events.push({ name: "wake", cat: "wake", ph: "s", id, pid: PID, tid: from, ts: us(entry.at) });
        events.push({ name: "wake", cat: "wake", ph: "f", id, pid: PID, tid, ts: us(entry.at) });
      }
    }
  }
  return { traceEvents: events, displayTimeUnit: "ns", otherData: { source: "@async-insight/engine", epochNs: String(epoch) } };
}
