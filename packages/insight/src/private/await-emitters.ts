/**
 * Which emitter an `events.once` (or a stream's async iteration) waits on
 * (docs/model.md, "Awaits of any promise"). A stack names `events.once` but
 * not its emitter: that is an argument, which V8's stack API does not show.
 * So while the await tracker is armed, Node's diagnostics channels tell which
 * child processes, workers, client sockets and outgoing HTTP requests each
 * task made (weakly held, the last few per task). At publish, a pending
 * `events.once` await of a task is matched against them: Node's `once`
 * registers a listener named `resolver` on the emitter (the same on Node 20,
 * 22 and 24; a stream's async iterator registers `next` on 'readable'). Only
 * when exactly one of the task's emitters has such a listener is the wait
 * said to be on it; otherwise it stays "an event (events.once)".
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { debug } from "./debug.js";
import type { LiveTask } from "./records.js";
import { currentLiveTask } from "./task-context.js";

export type EmitterKind = "ChildProcess" | "Worker" | "Socket" | "HttpRequest";

interface Known {
  readonly ref: WeakRef<object>;
  readonly kind: EmitterKind;
}

/** Emitters per task are few in the waits this is for; older ones drop out. */
const PER_TASK = 8;
const known = new WeakMap<LiveTask, Known[]>();

type Listening = { eventNames(): (string | symbol)[]; rawListeners(name: string | symbol): Function[] };

function remember(kind: EmitterKind, target: unknown): void {
  const task = currentLiveTask();
  if (task === undefined || typeof target !== "object" || target === null) return;
  let list = known.get(task);
  if (list === undefined) known.set(task, (list = []));
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.ref.deref() === undefined) list.splice(i, 1);
  if (list.length >= PER_TASK) list.shift();
  list.push({ ref: new WeakRef(target), kind });
}

const CHANNELS: ReadonlyArray<readonly [string, (message: unknown) => void]> = [
  ["child_process", (m) => remember("ChildProcess", (m as { process?: unknown }).process)],
  ["worker_threads", (m) => remember("Worker", (m as { worker?: unknown }).worker)],
  ["net.client.socket", (m) => remember("Socket", (m as { socket?: unknown }).socket)],
  ["http.client.request.start", (m) => remember("HttpRequest", (m as { request?: unknown }).request)],
];

/** Subscribes to the channels; returns the unsubscribe. */
export function watchEmitters(): () => void {
  for (const [name, listener] of CHANNELS) diagnosticsChannel.subscribe(name, listener);
  return () => {
    for (const [name, listener] of CHANNELS) diagnosticsChannel.unsubscribe(name, listener);
  };
}

export interface EmitterWait {
  readonly kind: EmitterKind;
  readonly event: string;
  /** Who it is, in a few words: `pid 4711 (sleep)`, `thread 2`, `127.0.0.1:8080`, `GET http://host/path`. */
  readonly who: string;
}

/** How a wait on `listener` names itself on the emitter: events.once's `resolver`, or an async iterator's `next` on 'readable'. */
type Mark = "once" | "read";

function marked(emitter: Listening, mark: Mark): string[] {
  const events: string[] = [];
  for (const name of emitter.eventNames()) {
    if (typeof name !== "string" || name === "error") continue;
    if (mark === "read" && name !== "readable") continue;
    for (const listener of emitter.rawListeners(name)) {
      const inner = (listener as { listener?: Function }).listener ?? listener;
      if (inner.name === (mark === "once" ? "resolver" : "next")) {
        events.push(name);
        break;
      }
    }
  }
  return events;
}

/**
 * The one emitter of `task` with a pending `events.once` (or async iteration)
 * listener, or undefined when none or several have one.
 */
export function emitterWaitOf(task: LiveTask, mark: Mark): EmitterWait | undefined {
  const list = known.get(task);
  if (list === undefined) return undefined;
  let found: EmitterWait | undefined;
  for (const { ref, kind } of list) {
    const emitter = ref.deref();
    if (emitter === undefined || typeof (emitter as Partial<Listening>).rawListeners !== "function") continue;
    let events: string[];
    try {
      events = marked(emitter as Listening, mark);
    } catch (error) {
      debug("reading an emitter's listeners failed: %s", error);
      return undefined;
    }
    for (const event of events) {
      if (found !== undefined) return undefined;
      found = { kind, event, who: whoIs(kind, emitter) };
    }
  }
  return found;
}

function whoIs(kind: EmitterKind, emitter: object): string {
  const e = emitter as Record<string, unknown>;
  switch (kind) {
    case "ChildProcess":
      return `pid ${String(e.pid)}${typeof e.spawnfile === "string" ? ` (${e.spawnfile})` : ""}`;
    case "Worker":
      return `thread ${String(e.threadId)}`;
    case "Socket":
      return typeof e.remoteAddress === "string" ? `${e.remoteAddress}:${String(e.remotePort)}` : "(not connected yet)";
    case "HttpRequest": {
      const host = typeof e.getHeader === "function" ? (e.getHeader as (name: string) => unknown).call(emitter, "host") : undefined;
      return `${String(e.method)} ${String(e.protocol ?? "http:")}//${String(host ?? e.host)}${String(e.path)}`;
    }
  }
}
