/**
 * Awaits of any promise (issue 14 item 2): where a task is suspended in user
 * code, and what it awaits, as far as Node can tell, for promises that are
 * not insight primitives (docs/model.md, "Awaits of any promise").
 *
 * V8's promise hook `init(promise, parent)` runs for the throwaway promise of
 * every `await`, with the awaited promise as `parent` and the awaiting
 * function on top of the stack. The first await of a task in each turn (one
 * synchronous run between two promise jobs) is the innermost one: the task is
 * suspended there, and V8's async stack frames name the app's own await
 * further down even when it is suspended in a caller. Root promises (no
 * parent) created in a task get a structured stack, unread, so the awaited
 * one can later say which Node API or library line made it.
 *
 * Cost: a hook call per promise created anywhere, a stack capture per promise
 * created in a task (at most PER_TURN per task and turn) and per noted await.
 * So the hooks are installed only while a console watches (or did in the last
 * minute) or a recording runs, or in deep mode; INSIGHT_AWAITS=always keeps
 * them on, =off never. Awaits that began before are not seen. Captures are
 * capped per second (CAPTURES_PER_SECOND); past the cap the hooks come off
 * until the next second.
 *
 * Like joins (join-wait.ts), a noted await is recorded as a resource and an
 * async op only at the next publish, and only if still pending. Nothing here
 * holds the awaited promise or the task's context: the settle callback lives
 * on the awaited promise, so a promise nothing can settle is garbage with its
 * note, and the GC proof judges its wait (collected-waits.ts).
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { promiseHooks } from "node:v8";
import { now } from "./clock.js";
import { debug, guarded } from "./debug.js";
import { awaitSiteIndex, classify, firstCodeFrame, isNodeFrame, isOwnFile, readFrames, shortLocation, type AwaitKind, type Frame } from "./await-frames.js";
import { type Location, type Site } from "./callsite.js";
import type { AttributeValues, Describable, OpRecord, ResourceRecord, TaskRecord } from "./records.js";
import { runtime, type Runtime } from "./runtime.js";
import { taskStorage } from "./task-context.js";
import { clientGoneReason, orphanProgress } from "./orphans.js";

/** Frames per await stack: past a library's and Node's frames to the app's await (plus Node's hook dispatcher). */
const AWAIT_DEPTH = 13;
/** Frames per root promise's creation stack: the creating Node function or library line is near the top. */
const CREATION_DEPTH = 6;
/** Enough to see the frame that made a derived promise. */
const TOP_DEPTH = 2;
/**
 * Per task and turn: derived promises looked at before giving up (`.then`
 * calls before the await), and root promises whose creation is captured.
 */
const PER_TURN = 6;
/**
 * Stack captures allowed per second (refilled by the tracker's timer). A
 * capture cost about 7 µs in the HTTP benchmark's profile (V8 walks the async
 * frames too), so this bounds the tracker to roughly 1.5 % of a core however
 * busy the service is. Past it, awaits and creations go unnoted until the next
 * refill: a busy service is sampled, a hung one (whose load has dropped) is
 * seen whole.
 */
export const CAPTURES_PER_SECOND = 2000;
let budget = CAPTURES_PER_SECOND;
/** Called once when the budget runs out (the tracker takes its hooks off until the refill). */
let exhausted: (() => void) | undefined;

type Captured = { stack?: unknown };

const creations = new WeakMap<object, Captured>();
const promiseThen = Promise.prototype.then;
let turn = 0;
let busy = false;
/** Notes taken since the last publish (settled there). */
let noted: AwaitNote[] = [];

function capture(depth: number): Captured {
  if (--budget === 0) exhausted?.();
  const holder: Captured = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  try {
    Error.captureStackTrace(holder, onInit);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return holder;
}

/** Each task's latest noted await (a join on a TaskHandle takes it over: joinAwaited). */
const latest = new WeakMap<TaskRecord, AwaitNote>();

/**
 * A TaskHandle's then() was called for `task` (join-wait.ts): V8 does that
 * from a microtask right after the await of the handle, so the task's latest
 * note is that await. The join records it with better words and an owner.
 */
export function joinAwaited(task: TaskRecord): void {
  const last = latest.get(task);
  if (last !== undefined && !last.ended) last.end();
}

/** Per-task latest outgoing fetch (undici's diagnostics channel), for the reason's words. */
const lastFetch = new WeakMap<TaskRecord, string>();

export class AwaitNote implements Describable {
  readonly task: TaskRecord;
  readonly at: number;
  /** The await's stack, unread (read at publish, if the wait is still pending). */
  stack: Captured | undefined;
  /** The task's polls when it awaited (runtime.ts OpRecord.pollsAtStart). */
  readonly polls: number;
  created: Captured | undefined;
  ended = false;
  op: OpRecord | undefined;
  resource: ResourceRecord | undefined;
  #describe: AttributeValues = {};

  constructor(task: TaskRecord, at: number, stack: Captured, created: Captured | undefined) {
    this.task = task;
    this.at = at;
    this.stack = stack;
    this.created = created;
    this.polls = task.polls;
  }

  describe(): AttributeValues {
    return this.#describe;
  }

  /** The awaited promise settled (or the task ended): the wait is over. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.created = this.stack = undefined;
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

  /** Records the wait if still pending (called at publish). */
  record(rt: Runtime): void {
    if (this.ended || this.op !== undefined) return;
    // Its task already ended (a request closed with nothing seen pending): nothing waits.
    if (this.task.droppedAt >= 0 || !this.task.tracked) return this.#drop(rt);
    const created = this.created === undefined ? [] : readFrames(this.created);
    const frames = this.stack === undefined ? [] : readFrames(this.stack);
    this.created = this.stack = undefined;
    // An await inside Node itself with no code frame below (a stream's internals) names no site.
    if (frames.every(isNodeFrame)) return this.#drop(rt);
    const siteIndex = awaitSiteIndex(frames);
    const createdAt = firstCodeFrame(created);
    // Awaits of insight's own primitives and joins are recorded by them, with better words;
    // the console server's own awaits (it runs in the main task) are not the app's.
    if (madeByInsight(created, createdAt) || madeByInsight(frames, siteIndex)) return this.#drop(rt);
    const top = frames[0];
    // The awaited promise was made by the await itself: a thenable (a TaskHandle) or a plain value.
    if (top !== undefined && created[0] !== undefined && created[0].file === top.file && created[0].line === top.line && created[0].column === top.column) return this.#drop(rt);
    const what = classify(frames, siteIndex) ?? classify(created, createdAt);
    const kind: AwaitKind = what?.kind ?? "Promise";
    const where = createdAt >= 0 ? created[createdAt] : undefined;
    const awaitLocation: Location | undefined = siteIndex >= 0 ? frames[siteIndex] : undefined;
    const site: Site = { holder: undefined, raw: awaitLocation ? { file: awaitLocation.file, line: awaitLocation.line, column: awaitLocation.column } : null };
    const resourceSite: Site | undefined = where ? { holder: undefined, raw: { file: where.file, line: where.line, column: where.column } } : undefined;
    const words = describeWait(kind, what?.api ?? "", where, lastFetch.get(this.task));
    this.#describe = { "insight.awaited": words.short };
    const resource = rt.createResource(kind, kind === "Timer", words.name, this, AwaitNote.prototype.record, resourceSite ?? site, this.at);
    let reason = words.reason;
    if (this.task.clientGone) reason = clientGoneReason(site, reason);
    this.resource = resource;
    this.op = rt.createOp(resource, `${kind}::await`, reason, undefined, this.task, this.at, site);
    this.op.pollsAtStart = this.polls;
    this.task.pendingAwaits--;
    if (this.task.clientGone) this.op.extra = { "insight.client_gone": true };
    rt.markResource(resource);
  }

  /** Not a wait to show: forget it (its settle callback still runs, harmlessly). */
  #drop(rt: Runtime): void {
    if (this.ended) return;
    this.ended = true;
    this.task.pendingAwaits--;
    if (this.task.clientGone) orphanProgress(rt, this.task);
  }
}

/** Whether insight code ran between the top of the stack and frame `end`. */
function madeByInsight(frames: readonly Frame[], end: number): boolean {
  const stop = end < 0 ? frames.length : end;
  for (let i = 0; i < stop; i++) if (isOwnFile(frames[i]!.file)) return true;
  return false;
}

function describeWait(kind: AwaitKind, api: string, where: Location | undefined, fetchUrl: string | undefined): { reason: string; short: string; name: string | undefined } {
  const at = where ? ` at ${shortLocation(where)}` : "";
  // No creation seen: made outside any task, before insight looked, or past the capture budget.
  const promise = where ? `a promise created${at}` : "a promise insight did not see made";
  switch (kind) {
    case "Promise":
      return { reason: `waiting for ${promise}`, short: promise, name: undefined };
    case "Timer":
      return { reason: `waiting for a timer${api ? ` (${api})` : ""}`, short: "timer", name: api || undefined };
    case "Fetch":
      return { reason: `waiting for fetch${fetchUrl ? ` ${fetchUrl}` : ""}`, short: "fetch", name: fetchUrl };
    case "EventEmitter":
      return { reason: `waiting for an event (events.${api || "once"})`, short: "event", name: api || undefined };
    case "Fs":
      return { reason: `waiting for fs${api ? `.${api}` : ""}`, short: "fs", name: api || undefined };
    case "Dns":
      return { reason: `waiting for dns${api ? `.${api}` : ""}`, short: "dns", name: api || undefined };
    case "Stream":
      return { reason: `waiting for a stream${api ? ` (${api})` : ""}`, short: "stream", name: api || undefined };
    case "ChildProcess":
      return { reason: `waiting for a child process${api ? ` (${api})` : ""}`, short: "child process", name: api || undefined };
    case "Worker":
      return { reason: `waiting for a worker${api ? ` (${api})` : ""}`, short: "worker", name: api || undefined };
    case "HttpRequest":
      return { reason: `waiting for an HTTP request${api ? ` (${api})` : ""}`, short: "http request", name: api || undefined };
    case "Socket":
      return { reason: `waiting for a socket${api ? ` (${api})` : ""}`, short: "socket", name: api || undefined };
  }
}

function onBefore(): void {
  turn++;
}

/** Error.prepareStackTrace for the top-frame check: whether the code that made the promise has a file (builtins do not). */
function topHasFile(_error: Error, sites: NodeJS.CallSite[]): boolean {
  for (const site of sites) {
    const file = site.getFileName();
    if (file === "node:internal/promise_hooks") continue;
    return file !== undefined && file !== null && file !== "";
  }
  return false;
}

/** Whether the derived promise being made is an await's throwaway (the awaiting function on top) rather than a `.then`. */
function madeByAwait(): boolean {
  const holder = capture(TOP_DEPTH);
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = topHasFile;
  try {
    return holder.stack === true;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function onInit(promise: Promise<unknown>, parent: Promise<unknown> | undefined): void {
  if (busy) return;
  const task = taskStorage.getStore()?.record;
  if (task === undefined || !task.tracked || task.droppedAt >= 0) return;
  if (budget <= 0) return;
  busy = true;
  try {
    const key = turn * PER_TURN;
    if (parent === undefined) {
      // The awaited promise is nearly always among the first made in the turn of its await.
      if (task.creationTurn < key) task.creationTurn = key;
      else if (task.creationTurn >= key + PER_TURN) return;
      task.creationTurn++;
      creations.set(promise, capture(CREATION_DEPTH));
      return;
    }
    if (task.awaitTurn < key) task.awaitTurn = key;
    else if (task.awaitTurn >= key + PER_TURN) return;
    // `.then`, `.catch`, Promise.all and friends are builtins on top; an await has the awaiting function.
    if (!madeByAwait()) {
      task.awaitTurn++;
      return;
    }
    task.awaitTurn = key + PER_TURN;
    note(task, parent, capture(AWAIT_DEPTH));
  } catch (error) {
    debug("noting an await failed: %s", error);
  } finally {
    busy = false;
  }
}

function note(task: TaskRecord, parent: Promise<unknown>, stack: Captured): void {
  const rt = runtime;
  if (rt === undefined || noted.length >= rt.options.eventBufferCapacity) return;
  const awaitNote = new AwaitNote(task, now(), stack, creations.get(parent));
  const end = () => awaitNote.end();
  // Outside the task: the callback must not keep the task's context alive.
  taskStorage.exit(() => promiseThen.call(parent, end, end));
  task.pendingAwaits++;
  latest.set(task, awaitNote);
  if (noted.length === 0) rt.defer(settler);
  noted.push(awaitNote);
}

const settler = {
  settle(): void {
    const rt = runtime;
    const notes = noted;
    noted = [];
    if (rt === undefined) return;
    for (const n of notes) guarded("recording an await", () => n.record(rt), undefined);
  },
};

function onFetch(message: unknown): void {
  const task = taskStorage.getStore()?.record;
  if (task === undefined) return;
  const request = (message as { request?: { method?: string; origin?: unknown; path?: string } }).request;
  if (request === undefined) return;
  lastFetch.set(task, `${request.method ?? "GET"} ${String(request.origin ?? "")}${request.path ?? ""}`);
}

export type AwaitMode = "watched" | "always" | "off";

export function awaitMode(environment: NodeJS.ProcessEnv = process.env): AwaitMode {
  const value = environment.INSIGHT_AWAITS;
  return value === "always" || value === "off" ? value : "watched";
}

/**
 * Installs and removes the hooks as `wanted()` changes (checked every second,
 * and whenever a console comes or goes). When a second's capture budget runs
 * out, the hooks are taken off until the next refill: past the budget they
 * would cost a hook call per promise and note nothing.
 */
export class AwaitTracker {
  #on = false;
  #unhook: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  start(wanted: () => boolean, rt?: Runtime): void {
    this.#update(wanted());
    if (rt !== undefined) rt.onWatchChange = () => guarded("await tracker", () => this.#update(wanted()), undefined);
    this.#timer = taskStorage.exit(() =>
      setInterval(() => {
        budget = CAPTURES_PER_SECOND;
        guarded("await tracker", () => this.#update(wanted()), undefined);
        if (this.#on && this.#unhook === undefined) this.#hook();
      }, 1000),
    );
    this.#timer.unref();
  }

  get armed(): boolean {
    return this.#on;
  }

  #update(on: boolean): void {
    if (on === this.#on) return;
    this.#on = on;
    if (!on) {
      this.#unhookNow();
      exhausted = undefined;
      diagnosticsChannel.unsubscribe("undici:request:create", onFetch);
      debug("await tracking off");
      return;
    }
    diagnosticsChannel.subscribe("undici:request:create", onFetch);
    exhausted = () => taskStorage.exit(() => setImmediate(() => this.#unhookNow()));
    if (budget > 0) this.#hook();
    debug("await tracking on");
  }

  #hook(): void {
    const stopInit = promiseHooks.onInit(onInit);
    const stopBefore = promiseHooks.onBefore(onBefore);
    this.#unhook = () => {
      stopInit();
      stopBefore();
    };
  }

  #unhookNow(): void {
    this.#unhook?.();
    this.#unhook = undefined;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#update(false);
  }
}
