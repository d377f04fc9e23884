/**
 * One await the tracker noted (await-tracker.ts): who awaits since when,
 * with the stacks still unread. At the next publish it becomes a resource and
 * an async op if still pending (record), with words for what it awaits.
 */
import { awaitSiteIndex, classify, firstCodeFrame, isNodeFrame, isOwnFile, readFrames, shortLocation, type AwaitKind, type Frame } from "./await-frames.js";
import { emitterWaitOf } from "./await-emitters.js";
import type { Location, Site } from "./callsite.js";
import { guarded } from "./debug.js";
import { clientGoneReason, orphanProgress } from "./orphans.js";
import type { AttributeValues, Describable, OpRecord, LiveResource, LiveTask } from "./records.js";
import { runtime, type Runtime } from "./runtime.js";

/**
 * A stack captured with Error.captureStackTrace, unread; or the call sites a
 * look at the await already had (await-hooks.ts lookedStack), unread too.
 */
export type Captured = { stack?: unknown; sites?: readonly NodeJS.CallSite[] | undefined };

/** Per-task latest outgoing fetch (undici's diagnostics channel), for the reason's words. */
export const lastFetch = new WeakMap<LiveTask, string>();

export class AwaitNote implements Describable {
  readonly task: LiveTask;
  readonly at: number;
  /** The await's stack, unread (read at publish, if the wait is still pending). Shared by a combinator's inputs. */
  stack: Captured | undefined;
  /** The task's polls when it awaited (runtime.ts OpRecord.pollsAtStart). */
  readonly polls: number;
  created: Captured | undefined;
  /** One input of a combinator the task awaits (the stack is the combinator's await). */
  readonly input: boolean;
  /**
   * The first await of the run, made inside a library or Node, when this
   * note is the app's own await that follows it: this one is shown only once
   * that one is over or could not be placed (a library's short internal
   * await, such as undici's connect, must not hide the app's `await fetch()`).
   */
  primary: AwaitNote | undefined;
  /** Only carries a combinator's await site for the joins over its thenables (joinAwaited); never recorded. */
  siteOnly = false;
  /** A combinator awaited later in the same run: if at the same line, its inputs say it better (recorded instead). */
  supersededBy: Captured | undefined;
  ended = false;
  op: OpRecord | undefined;
  resource: LiveResource | undefined;
  #describe: AttributeValues = {};
  /** The stacks, once read (a note kept for a later publish keeps only these). */
  #read: { created: Frame[]; frames: Frame[]; later: Frame[] | undefined } | undefined;

  constructor(task: LiveTask, at: number, stack: Captured, created: Captured | undefined, input = false) {
    this.task = task;
    this.at = at;
    this.stack = stack;
    this.created = created;
    this.input = input;
    this.polls = task.polls;
  }

  describe(): AttributeValues {
    return this.#describe;
  }

  /** The awaited promise settled (or the task ended): the wait is over. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.created = this.stack = this.supersededBy = undefined;
    this.primary = undefined;
    this.#read = undefined;
    // Once recorded, the op counts the wait (task.pendingOps).
    if (this.op === undefined) this.task.pendingAwaits--;
    const rt = runtime;
    if (rt === undefined) return;
    guarded(
      "ending an await",
      () => {
        if (this.op !== undefined) rt.completeOp(this.op, undefined);
        if (this.resource !== undefined) rt.dropResource(this.resource);
        if (this.task.clientGone) orphanProgress(rt, this.task);
      },
      undefined,
    );
  }

  /** A library adapter reports this wait itself (claimed after the await): not recorded, or ended if it was. */
  replaced(): void {
    if (this.ended) return;
    if (this.op !== undefined) return this.end();
    this.ended = true;
    this.created = this.stack = this.supersededBy = undefined;
    this.primary = undefined;
    this.#read = undefined;
    this.task.pendingAwaits--;
  }

  /** Runtime.defer's hook: a note kept for a later publish (see `primary`). */
  settle(): void {
    const rt = runtime;
    if (rt !== undefined) guarded("recording an await", () => this.record(rt), undefined);
  }

  /** Records the wait if still pending (called at publish). */
  record(rt: Runtime): void {
    if (this.ended || this.op !== undefined) return;
    // Its task already ended (a request closed with nothing seen pending): nothing waits.
    if (this.task.droppedAt >= 0 || !this.task.tracked || this.siteOnly) return this.#drop(rt);
    // Read now, kept as plain data: a captured stack holds its frames' functions and receivers alive.
    const read = (this.#read ??= {
      created: this.created === undefined ? [] : readFrames(this.created),
      frames: this.stack === undefined ? [] : readFrames(this.stack),
      later: this.supersededBy === undefined ? undefined : readFrames(this.supersededBy),
    });
    this.created = this.stack = this.supersededBy = undefined;
    const primary = this.primary;
    if (primary !== undefined && !primary.ended) {
      // The library's own await is shown (it names the app's line too): look again at the next publish.
      rt.defer(this);
      return;
    }
    this.primary = undefined;
    this.#read = undefined;
    const { created, frames, later } = read;
    // An await inside Node itself with no code frame below (a stream's internals) names no site.
    if (frames.every(isNodeFrame)) return this.#drop(rt);
    const siteIndex = awaitSiteIndex(frames);
    const createdAt = firstCodeFrame(created);
    // Awaits of insight's own primitives and joins are recorded by them, with better words;
    // the console server's own awaits (it runs in the main task) are not the app's.
    if (madeByInsight(created, createdAt) || madeByInsight(frames, siteIndex)) return this.#drop(rt);
    const top = frames[0];
    // The awaited promise was made by the await itself: a thenable (a TaskHandle) or a plain value.
    if (!this.input && top !== undefined && sameLocation(created[0], top)) return this.#drop(rt);
    const awaitLocation: Location | undefined = siteIndex >= 0 ? frames[siteIndex] : undefined;
    // A combinator awaited at this same line shows each of its inputs instead.
    if (later !== undefined && awaitLocation !== undefined && sameLine(later[awaitSiteIndex(later)], awaitLocation)) return this.#drop(rt);
    const what = classify(frames, siteIndex) ?? classify(created, createdAt);
    const where = createdAt >= 0 ? created[createdAt] : undefined;
    const site: Site = { holder: undefined, raw: awaitLocation ? { file: awaitLocation.file, line: awaitLocation.line, column: awaitLocation.column } : null };
    const resourceSite: Site | undefined = where ? { holder: undefined, raw: { file: where.file, line: where.line, column: where.column } } : undefined;
    const words = describeWait(this.task, what?.kind ?? "Promise", what?.api ?? "", where);
    this.#describe = { "insight.awaited": words.short };
    const resource = rt.createResource(words.kind, words.kind === "Timer", words.name, this, AwaitNote.prototype.record, resourceSite ?? site, this.at);
    let reason = words.reason;
    if (this.task.clientGone) reason = clientGoneReason(site, reason);
    this.resource = resource;
    this.op = rt.createOp(resource, `${words.kind}::await`, reason, undefined, this.task, this.at, site);
    this.op.pollsAtStart = this.polls;
    this.task.pendingAwaits--;
    if (this.task.clientGone) this.op.extra = { "insight.client_gone": true };
    rt.markResource(resource);
  }

  /** Not a wait to show: forget it (its settle callback still runs, harmlessly). */
  #drop(rt: Runtime): void {
    if (this.ended) return;
    this.ended = true;
    this.created = this.stack = this.supersededBy = undefined;
    this.#read = undefined;
    this.task.pendingAwaits--;
    if (this.task.clientGone) orphanProgress(rt, this.task);
  }
}

function sameLocation(a: Frame | undefined, b: Frame): boolean {
  return a !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;
}

function sameLine(a: Frame | undefined, b: Location): boolean {
  return a !== undefined && a.file === b.file && a.line === b.line;
}

/** Whether insight code ran between the top of the stack and frame `end`. */
export function madeByInsight(frames: readonly Frame[], end: number): boolean {
  const stop = end < 0 ? frames.length : end;
  for (let i = 0; i < stop; i++) if (isOwnFile(frames[i]!.file)) return true;
  return false;
}

interface Words {
  readonly kind: AwaitKind;
  readonly reason: string;
  readonly short: string;
  readonly name: string | undefined;
}

function describeWait(task: LiveTask, kind: AwaitKind, api: string, where: Location | undefined): Words {
  const at = where ? ` at ${shortLocation(where)}` : "";
  // No creation seen: made outside any task, before insight looked, or past the capture budget.
  const promise = where ? `a promise created${at}` : "a promise insight did not see made";
  switch (kind) {
    case "Promise":
      return { kind, reason: `waiting for ${promise}`, short: promise, name: undefined };
    case "Timer":
      return { kind, reason: `waiting for a timer${api ? ` (${api})` : ""}`, short: "timer", name: api || undefined };
    case "Fetch": {
      const url = lastFetch.get(task);
      return { kind, reason: `waiting for fetch${url ? ` ${url}` : ""}`, short: "fetch", name: url };
    }
    case "EventEmitter": {
      // events.once names no emitter; the task's own child processes, workers, sockets and requests may.
      const on = api === "once" ? emitterWaitOf(task, "once") : undefined;
      if (on !== undefined) return emitterWords(on.kind, `'${on.event}'`, on.who);
      return { kind, reason: `waiting for an event (events.${api || "once"})`, short: "event", name: api || undefined };
    }
    case "Stream": {
      const on = api === "createAsyncIterator" ? emitterWaitOf(task, "read") : undefined;
      if (on?.kind === "Socket") return { kind: "Socket", reason: `waiting to read from socket ${on.who}`, short: "socket read", name: on.who };
      if (api === "createAsyncIterator") return { kind, reason: "waiting to read from a stream (async iteration)", short: "stream read", name: undefined };
      return { kind, reason: `waiting for a stream${api ? ` (${api})` : ""}`, short: "stream", name: api || undefined };
    }
    case "Fs":
      return { kind, reason: `waiting for fs${api ? `.${api}` : ""}`, short: "fs", name: api || undefined };
    case "Dns":
      return { kind, reason: `waiting for dns${api ? `.${api}` : ""}`, short: "dns", name: api || undefined };
    case "ChildProcess":
      return { kind, reason: `waiting for a child process${api ? ` (${api})` : ""}`, short: "child process", name: api || undefined };
    case "Worker":
      return { kind, reason: `waiting for a worker${api ? ` (${api})` : ""}`, short: "worker", name: api || undefined };
    case "HttpRequest":
      return { kind, reason: `waiting for an HTTP request${api ? ` (${api})` : ""}`, short: "http request", name: api || undefined };
    case "Socket":
      return { kind, reason: `waiting for a socket${api ? ` (${api})` : ""}`, short: "socket", name: api || undefined };
  }
}

function emitterWords(kind: "ChildProcess" | "Worker" | "Socket" | "HttpRequest", event: string, who: string): Words {
  switch (kind) {
    case "ChildProcess":
      return { kind, reason: `waiting for ${event} from child process ${who}`, short: `child process ${event}`, name: who };
    case "Worker":
      return { kind, reason: `waiting for ${event} from worker ${who}`, short: `worker ${event}`, name: who };
    case "Socket":
      return { kind, reason: `waiting for ${event} on socket ${who}`, short: `socket ${event}`, name: who };
    case "HttpRequest":
      return { kind, reason: `waiting for ${event} to HTTP request ${who}`, short: `http request ${event}`, name: who };
  }
}
