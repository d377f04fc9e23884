/**
 * Node's module loader, seen by the await tracker (await-hooks.ts). With
 * `node --import async-insight/register`, the main task starts before the
 * app's modules load, and the ESM loader then runs its own promises inside it:
 * two thousand in the first second for an app that imports a few packages.
 * Noted like the app's, they would use up the tracker's capture budget and
 * take its hooks off just as the app's tasks make their first awaits, which
 * are then never seen (a task suspended while the hooks are off is never
 * noted: V8 tells where an async function waits only at its await, and
 * nothing can ask a suspended one later).
 *
 * So while the main task loads, each of its promises is looked at with one
 * short capture, outside the budget: a promise whose stack holds only Node's
 * and insight's own frames is the loader's (or insight's start-up) and is
 * passed over, and so, without a look, is a `.then` or an await of one
 * passed over (the loader's continuations: about half of its promises). The
 * first promise with a frame of the app or a library (the
 * app's modules evaluating) ends the loading, and the tracker works as
 * everywhere else from that promise on. The looks are bounded once per
 * process (LOADING_LOOKS): a main module that never makes a promise of its
 * own does not keep the main task in this mode. And the loading is over for
 * the tracker if its hooks were off meanwhile (no console watched yet, the
 * default): whatever the main task does once they come on is not loading.
 */
import { fileURLToPath } from "node:url";
import { debug } from "./debug.js";
import { isOwnFile } from "./await-frames.js";
import { readStackNow } from "./callsite.js";
import type { LiveTask } from "./records.js";

/** Frames per look: past Node's hook dispatcher and a builtin or two (`new Promise`, `then`) to the code that made it. */
const LOADING_DEPTH = 6;
/** Looks allowed in all: several times what loading a few packages takes, a few tens of milliseconds once. */
const LOADING_LOOKS = 20_000;

/** The main task while its modules load (set by register.ts), else undefined. */
export let loadingTask: LiveTask | undefined;
let looks = 0;
/** The loader's promises passed over: what derives from them is the loader's too. */
let passedOver = new WeakSet<object>();

/**
 * The main task `task` has not started running the app's modules yet: the
 * tracker passes over the loader's promises in it until the app's first.
 */
export function awaitEntryModule(task: LiveTask | undefined): void {
  loadingTask = task;
  looks = 0;
  passedOver = new WeakSet();
}

function endLoading(why: string): void {
  loadingTask = undefined;
  passedOver = new WeakSet();
  debug("await tracker: main task done loading after %d promises (%s)", looks, why);
}

/** The tracker's hooks came on after being off: the loading, if any, went by unseen. */
export function hooksCameOn(): void {
  if (loadingTask !== undefined) endLoading("hooks were off");
}

/** Error.prepareStackTrace for a look: whether only Node and insight ran (builtins have no file). */
function onlyNode(_error: Error, sites: NodeJS.CallSite[]): boolean {
  for (const site of sites) {
    const name = site.getFileName();
    if (!name || name.startsWith("node:")) continue;
    let file = name;
    if (name.startsWith("file://")) {
      try {
        file = fileURLToPath(name);
      } catch {
        return false;
      }
    }
    if (!isOwnFile(file)) return false;
  }
  return true;
}

/**
 * Whether `promise`, being made (the caller is the promise hook `below`), is
 * the loader's, while the main task loads. Ends the loading at the first that
 * is not.
 */
export function madeByLoader(promise: object, parent: object | undefined, below: Function): boolean {
  if (++looks > LOADING_LOOKS) {
    endLoading("looked long enough");
    return false;
  }
  if (parent !== undefined && passedOver.has(parent)) {
    passedOver.add(promise);
    return true;
  }
  if (readStackNow(below, LOADING_DEPTH, onlyNode) === true) {
    passedOver.add(promise);
    return true;
  }
  endLoading("the app's code runs");
  return false;
}
