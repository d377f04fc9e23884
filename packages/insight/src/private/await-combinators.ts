/**
 * `Promise.all`, `race`, `allSettled` and `any`: which promises a
 * combinator's result waits on, so that a task awaiting the result shows each
 * pending input as its own wait (await-tracker.ts).
 *
 * Seen through the promise hooks, a combinator call is, synchronously: its
 * result promise made (a root promise), then for each input a `then` called
 * by the combinator builtin (a derived promise whose parent is the input).
 * An input that is not a promise (a thenable such as a TaskHandle) is first
 * wrapped in a new promise, made right before its `then`. The tracker tells
 * the builtin's `then` from others by the stack (await-tracker.ts `lookAt`)
 * and reports each input here, with the last two root promises made before
 * it: the first input of a call comes after the result (or after a wrapper
 * made after the result). The result maps to its inputs in a WeakMap, so
 * nothing is kept alive that the program let go.
 */

/** Inputs shown per combinator: past a few, more ops say nothing new. */
export const MAX_INPUTS = 8;

const groups = new WeakMap<object, object[]>();

/** The combinator call being read: its inputs, and the last root made when its last input was seen. */
let current: object[] | undefined;
let seenRoot: object | undefined;

/**
 * A combinator called `then` on `input`. `lastRoot` / `previousRoot` are the
 * last two root promises the running task made in this run (either may be
 * undefined: then the call cannot be placed, and is not recorded).
 */
export function combinatorInput(input: object, lastRoot: object | undefined, previousRoot: object | undefined): void {
  // A wrapper of a thenable was made right before its `then`: the call's result is the root before it.
  const wrapper = input === lastRoot;
  const before = wrapper ? previousRoot : lastRoot;
  if (current === undefined || before !== seenRoot) {
    // A root made since the last input: a new call, whose result is that root.
    if (before === undefined) {
      current = undefined;
      return;
    }
    current = [];
    groups.set(before, current);
  }
  seenRoot = lastRoot;
  // A wrapped thenable is left to whoever made it (a TaskHandle records its join itself).
  if (!wrapper && current.length < MAX_INPUTS) current.push(input);
}

/** Whether a combinator call is being read (its next input, or the await of its result, may follow). */
export function combinatorOpen(): boolean {
  return current !== undefined;
}

/** The run ended (or a new one began, or the call's result was awaited): the next combinator input starts a new call. */
export function endCombinatorRun(): void {
  current = undefined;
  seenRoot = undefined;
}

/** The inputs of `result`, if it is a combinator's result (nested combinators expanded), else undefined. */
export function combinatorInputs(result: object): object[] | undefined {
  const inputs = groups.get(result);
  if (inputs === undefined) return undefined;
  const out: object[] = [];
  const visit = (list: object[], depth: number) => {
    for (const input of list) {
      if (out.length >= MAX_INPUTS) return;
      const nested = depth < 3 ? groups.get(input) : undefined;
      if (nested !== undefined) visit(nested, depth + 1);
      else if (!out.includes(input)) out.push(input);
    }
  };
  visit(inputs, 0);
  return out;
}
