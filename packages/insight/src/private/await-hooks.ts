/**
 * The promise hooks of the await tracker (await-tracker.ts, which installs
 * them while someone looks): what each task awaits, noted when it awaits and
 * recorded at the next publish (await-note.ts). See await-tracker.ts for how
 * and docs/model.md, "Awaits of any promise", for what it shows.
 */
import { now } from "./clock.js";
import { debug, guarded } from "./debug.js";
import { awaitSiteIndex, isOwnFile, readFrames } from "./await-frames.js";
import { combinatorInput, combinatorInputs, combinatorOpen, endCombinatorRun } from "./await-combinators.js";
import { AwaitNote, lastFetch, madeByInsight, type Captured } from "./await-note.js";
import { loadingTask, madeByLoader } from "./await-loading.js";
import type { Site } from "./callsite.js";
import type { LiveTask } from "./records.js";
import { runtime, type Runtime } from "./runtime.js";
import { outsideTasks, taskStorage } from "./task-context.js";

/** Frames per await stack: past a library's and Node's frames to the app's await (plus Node's hook dispatcher). */
const AWAIT_DEPTH = 13;
/** Frames per root promise's creation stack: the creating Node function or library line is near the top. */
const CREATION_DEPTH = 6;
/** Per task and run: derived promises looked at before giving up (`.then` calls before the await). */
const PER_TURN = 6;
/**
 * Per task and run: root promises whose creation is captured. The awaited
 * promise is nearly always among the first made in the run of its await, but
 * a `fetch()` alone makes nine inside undici, and the inputs of a
 * `Promise.all` may come after one.
 */
const ROOTS_PER_RUN = 12;
/**
 * Further derived promises looked at in a run whose first await was inside a
 * library or Node (undici makes about ten before the app's `await fetch()`),
 * or around a combinator.
 */
const MORE_LOOKS = 16;
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

/** A new second: the full budget again. */
export function refillBudget(): void {
  budget = CAPTURES_PER_SECOND;
  lastRefill = Date.now();
}

export function budgetLeft(): boolean {
  return budget > 0;
}

let lastRefill = Date.now();

/**
 * One capture from the budget for a library adapter's await site
 * (adapters/user-site.ts), false past it. Without a tracker to refill it
 * (INSIGHT_AWAITS=off), it refills itself once a second has passed.
 */
export function spendCapture(): boolean {
  if (budget <= 0) {
    const at = Date.now();
    if (at - lastRefill < 1500) return false;
    budget = CAPTURES_PER_SECOND;
    lastRefill = at;
  }
  if (--budget === 0) exhausted?.();
  return true;
}

export function onBudgetExhausted(callback: (() => void) | undefined): void {
  exhausted = callback;
}

const creations = new WeakMap<object, Captured>();
/** A `.then`/`.catch`/`.finally` promise looked at → the promise it was made on, to find what made the awaited one. */
const derivedFrom = new WeakMap<object, object>();
const promiseThen = Promise.prototype.then;
let turn = 0;
let busy = false;
/** Notes taken since the last publish (settled there). */
let noted: AwaitNote[] = [];

// The run being read: one task's synchronous run in one turn (a nested spawn's run replaces it).
let runTask: LiveTask | undefined;
let runTurn = -1;
/** Derived promises looked at in this run. */
let looks = 0;
/** What the run still looks for: the first await; the app's own await after a library's; only combinators. */
let phase: "first" | "app" | "combinators" = "first";
/** The run's first note, when more may follow. */
let primary: AwaitNote | undefined;
/**
 * A library's or Node's await was seen after the first note: its callers'
 * `.then`s and awaits follow, up to the app's (a combinator's input such as
 * `fetch()` is known only through them), so they are looked at too.
 */
let unwinding = false;
/** Root promises made in the run since the last look, and the last two (a combinator's result is among them). */
let rootsSince = 0;
let lastRoot: object | undefined;
let previousRoot: object | undefined;
/**
 * The promise the last noted await made, and its note. `await thenable` (or
 * `await 5`) first makes a wrapper promise, derived from the async function's
 * own promise and looking like an await of it, then awaits the wrapper: when
 * the next promise made is derived from the one noted, the note was the
 * wrapper's making, and the wait is on the wrapper.
 */
let madeByNote: { readonly promise: Promise<unknown>; readonly note: AwaitNote } | undefined;

function enterRun(task: LiveTask): void {
  runTask = task;
  runTurn = turn;
  looks = rootsSince = 0;
  phase = "first";
  unwinding = false;
  primary = lastRoot = previousRoot = madeByNote = undefined;
  endCombinatorRun();
}

/** Lets go of the run's promises: nothing here may keep a promise the program dropped. */
export function forgetRun(): void {
  runTask = primary = lastRoot = previousRoot = madeByNote = undefined;
  runTurn = -1;
  endCombinatorRun();
}

/** One unit of the budget: a capture's, or (lookedStack) one charged for a capture saved. */
function spend(): void {
  if (--budget === 0) exhausted?.();
}

function capture(depth: number): Captured {
  spend();
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

/** Each task's latest noted await (a join on a TaskHandle takes its stack: joinAwaited). */
const latest = new WeakMap<LiveTask, AwaitNote>();

/** An await's stacks, handed to a join (join-wait.ts) to read at publish. */
export interface AwaitStacks {
  readonly stack: Captured;
  /** The awaited promise's creation; undefined for a combinator's await. */
  readonly created: Captured | undefined;
}

/**
 * A TaskHandle's then() was called for `task` (join-wait.ts): V8 does that
 * from a microtask right after the await of the handle (or of a combinator
 * over it), so the task's latest note is that await. The join records the
 * wait with better words and an owner, at that await's site: the note is
 * ended (a combinator's other inputs stay) and its stacks handed over.
 */
export function joinAwaited(task: LiveTask): AwaitStacks | undefined {
  const last = latest.get(task);
  if (last === undefined || last.ended || last.stack === undefined) return undefined;
  const stacks: AwaitStacks = { stack: last.stack, created: last.input ? undefined : last.created };
  if (!last.input) {
    latest.delete(task);
    last.end();
  }
  return stacks;
}

/**
 * The await site of a join's await (joinAwaited), read at publish: the first
 * app frame, provided the await's promise was the one made for the thenable
 * (else the latest note was another await, and the join has no site).
 */
export function joinSite(stacks: AwaitStacks): Site | undefined {
  const frames = readFrames(stacks.stack);
  if (stacks.created !== undefined) {
    const made = readFrames(stacks.created)[0];
    const top = frames[0];
    if (made === undefined || top === undefined || made.file !== top.file || made.line !== top.line || made.column !== top.column) return undefined;
  }
  const index = awaitSiteIndex(frames);
  if (index < 0 || madeByInsight(frames, index)) return undefined;
  const at = frames[index]!;
  return { holder: undefined, raw: { file: at.file, line: at.line, column: at.column } };
}

/** Promises a library adapter reports as waits itself (adapters/kit.ts): their awaits are not noted here. */
const claimed = new WeakSet<object>();

/** Awaited promise → its note, so a claim that comes after the await (undici's fetch) can withdraw it. */
const noteOf = new WeakMap<object, AwaitNote>();
/** The next await noted in this task and turn is an adapter's wait (claimNextAwait). */
let nextClaim: { task: LiveTask; turn: number } | undefined;

/**
 * An adapter covers awaits of `promise`: the tracker must not also report it
 * as "a promise created at node_modules/…". An await of it noted already
 * (the library started the wait after the app awaited) is withdrawn.
 */
export function claimPromise(promise: object): void {
  claimed.add(promise);
  const note = noteOf.get(promise);
  if (note === undefined) return;
  noteOf.delete(promise);
  note.replaced();
}

/**
 * The promise of the wait an adapter just started is out of its reach (made
 * by a library function the app bound before the patch): the task's next
 * await in this same synchronous run, the app's await of that promise, is
 * taken as claimed.
 */
export function claimNextAwait(task: LiveTask | undefined): void {
  nextClaim = task === undefined ? undefined : { task, turn };
}

export function onBefore(): void {
  turn++;
  if (runTask !== undefined) forgetRun();
}

const APP_AWAIT = 1;
const LIBRARY_AWAIT = 2;
const COMBINATOR = 3;
const OTHER = 4;
type Maker = typeof APP_AWAIT | typeof LIBRARY_AWAIT | typeof COMBINATOR | typeof OTHER;
const COMBINATORS = new Set(["all", "race", "allSettled", "any"]);

/**
 * Error.prepareStackTrace for a look at a derived promise: what made it. An
 * await has the awaiting function on top (the app's, or a library's or
 * Node's); `.then` and friends are builtins (no file); a combinator's is a
 * builtin `then` called by the builtin combinator.
 */
function makerOf(_error: Error, sites: NodeJS.CallSite[]): Maker {
  lookedSites = sites;
  let i = 0;
  while (i < sites.length && sites[i]!.getFileName() === "node:internal/promise_hooks") i++;
  const top = sites[i];
  if (top === undefined) return OTHER;
  const file = top.getFileName();
  if (file === undefined || file === null || file === "") {
    const below = sites[i + 1];
    if (top.getFunctionName() === "then" && below !== undefined && !below.getFileName() && COMBINATORS.has(below.getFunctionName() ?? "")) return COMBINATOR;
    return OTHER;
  }
  if (file.startsWith("node:") || file.includes("/node_modules/") || !file.includes("/") || isOwnFile(file.startsWith("file://") ? file.slice(7) : file))
    return LIBRARY_AWAIT;
  return APP_AWAIT;
}

/**
 * The call sites of the last look (lookAt): a look deep enough to be the
 * await's stack too, so an await it finds is noted without a second capture.
 */
let lookedSites: NodeJS.CallSite[] | undefined;

/**
 * The last look's stack, for the await it found. The budget is still
 * charged the unit the await's own capture used to cost, so what is noted
 * per second (and so what a console is shown) is what it was with two
 * captures; only the CPU of the second one is saved.
 */
function lookedStack(): Captured {
  spend();
  const sites = lookedSites;
  lookedSites = undefined;
  return { sites };
}

function lookAt(): Maker {
  // As deep as an await's stack: the look that finds an await is also its stack (lookedStack).
  const holder = capture(AWAIT_DEPTH);
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = makerOf;
  try {
    return holder.stack as Maker;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** The creation stack of `promise`, or of the promise it was derived from by `.then` (a few steps). */
function creationOf(promise: object): Captured | undefined {
  let p: object | undefined = promise;
  for (let i = 0; i < 4 && p !== undefined; i++) {
    const made = creations.get(p);
    if (made !== undefined) return made;
    p = derivedFrom.get(p);
  }
  return undefined;
}

export function onInit(promise: Promise<unknown>, parent: Promise<unknown> | undefined): void {
  if (busy) return;
  const task = taskStorage.getStore()?.record;
  if (task === undefined || !task.tracked || task.droppedAt >= 0) return;
  if (budget <= 0) return;
  busy = true;
  try {
    // Node's module loader working in the main task before the app's modules run (await-loading.ts).
    if (task === loadingTask && madeByLoader(promise, parent, onInit)) return;
    if (task !== runTask || turn !== runTurn) enterRun(task);
    if (parent === undefined) {
      previousRoot = lastRoot;
      lastRoot = promise;
      rootsSince++;
      // The awaited promise is nearly always among the first made in the turn of its await.
      const key = turn * ROOTS_PER_RUN;
      if (task.creationTurn < key) task.creationTurn = key;
      else if (task.creationTurn >= key + ROOTS_PER_RUN) return;
      task.creationTurn++;
      creations.set(promise, capture(CREATION_DEPTH));
      return;
    }
    if (madeByNote !== undefined) {
      const made = madeByNote;
      madeByNote = undefined;
      if (parent === made.promise) {
        // The noted await was a wrapper's making (see madeByNote): the wait is on the wrapper, made at the await.
        made.note.created = made.note.stack;
        watch(made.promise, [made.note]);
        return;
      }
    }
    // Past the first await, only what may be (or follow) a combinator, or the app's own await, is looked at.
    if (
      phase === "first" ? looks >= PER_TURN : looks >= PER_TURN + MORE_LOOKS || (phase === "combinators" && rootsSince === 0 && !unwinding && !combinatorOpen())
    )
      return;
    looks++;
    rootsSince = 0;
    lookedSites = undefined;
    const maker = lookAt();
    if (maker === COMBINATOR) {
      combinatorInput(parent, lastRoot, previousRoot);
      return;
    }
    if (maker === OTHER) {
      derivedFrom.set(promise, parent);
      return;
    }
    if (nextClaim !== undefined) {
      if (nextClaim.task === task && nextClaim.turn === turn) claimed.add(parent);
      nextClaim = undefined;
    }
    // A library adapter records this wait itself, with better words (adapters/kit.ts).
    if (claimed.has(parent)) {
      phase = "combinators";
      return;
    }
    const inputs = combinatorInputs(parent);
    if (phase === "combinators") unwinding = maker === LIBRARY_AWAIT;
    let taken: AwaitNote | undefined;
    if (phase === "first") {
      taken = primary = note(task, parent, lookedStack(), inputs, undefined);
      phase = maker === APP_AWAIT ? "combinators" : "app";
    } else if (maker === APP_AWAIT && (phase === "app" || inputs !== undefined)) {
      taken = note(task, parent, lookedStack(), inputs, primary);
      phase = "combinators";
    }
    if (taken !== undefined && inputs === undefined) madeByNote = { promise, note: taken };
    if (inputs !== undefined) endCombinatorRun();
  } catch (error) {
    debug("noting an await failed: %s", error);
  } finally {
    // Call sites hold their frames' functions and receivers: none kept past the hook.
    lookedSites = undefined;
    busy = false;
  }
}

/**
 * Notes an await of `parent` (one note per pending input when it is a
 * combinator's result). `first` is the run's first note when this one
 * follows it: the app's await after a library's, or a combinator's.
 */
function note(task: LiveTask, parent: Promise<unknown>, stack: Captured, inputs: object[] | undefined, first: AwaitNote | undefined): AwaitNote | undefined {
  const rt = runtime;
  if (rt === undefined || noted.length >= rt.options.eventBufferCapacity) return undefined;
  if (inputs === undefined) {
    const awaitNote = new AwaitNote(task, now(), stack, creationOf(parent));
    noteOf.set(parent, awaitNote);
    if (first !== undefined && !first.ended) awaitNote.primary = first;
    enlist(rt, awaitNote);
    watch(parent, [awaitNote]);
    return awaitNote;
  }
  const pending = inputs.filter((input) => !claimed.has(input));
  if (pending.length === 0) {
    // Only thenables (`Promise.all([spawn(a), spawn(b)])`): their joins record themselves, and take this site.
    const siteOnly = new AwaitNote(task, now(), stack, undefined, true);
    siteOnly.siteOnly = true;
    enlist(rt, siteOnly);
    return siteOnly;
  }
  const notes = pending.map((input) => new AwaitNote(task, now(), stack, creationOf(input), true));
  for (let i = 0; i < notes.length; i++) {
    noteOf.set(pending[i]!, notes[i]!);
    enlist(rt, notes[i]!);
    watch(pending[i] as Promise<unknown>, [notes[i]!]);
  }
  // The combinator's result settling ends them all (a race won, an all rejected).
  if (notes.length > 0) watch(parent, notes);
  if (first !== undefined && !first.ended) first.supersededBy = stack;
  return notes[0];
}

/** Ends `notes` when `promise` settles. */
function watch(promise: Promise<unknown>, notes: AwaitNote[]): void {
  const end = () => {
    for (const n of notes) n.end();
  };
  // Outside the task: the callback must not keep the task's context alive.
  outsideTasks(() => promiseThen.call(promise, end, end));
}

/** Counts the note as a pending wait of its task, to be recorded at the next publish. */
function enlist(rt: Runtime, awaitNote: AwaitNote): void {
  awaitNote.task.pendingAwaits++;
  latest.set(awaitNote.task, awaitNote);
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

export function onFetch(message: unknown): void {
  const task = taskStorage.getStore()?.record;
  if (task === undefined) return;
  const request = (message as { request?: { method?: string; origin?: unknown; path?: string } }).request;
  if (request === undefined) return;
  lastFetch.set(task, `${request.method ?? "GET"} ${String(request.origin ?? "")}${request.path ?? ""}`);
}
