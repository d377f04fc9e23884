/**
 * Which slots of which limiter or queue the current code runs in (p-limit,
 * p-queue). A call that waits on a limiter from inside one of that limiter's
 * running slots (nested) keeps that slot from ending: the slot is held until
 * a slot frees, a closed cycle when every slot is taken that way. A call made
 * from outside (a task fanning out work over the limiter) blocks none of the
 * running slots: they end with their own work. kit.ts publishes a slot as its
 * task's unit only when that matters (ResourceSpec.selfFreeing, docs/adapters.md).
 *
 * The frames form a chain (a slot of limiter A that calls limiter B that
 * calls A again), carried by an AsyncLocalStorage: each slot's function runs
 * in a frame naming its limiter and slot, and the frame's parent is the
 * caller's chain at the time of the call (not of the run: a queued call
 * starts from another call's completion).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface SlotFrame {
  /** The limiter or queue (the object the adapter tracks). */
  readonly owner: object;
  /** The slot's unit key (TrackedResource.hold). */
  readonly slot: object;
  readonly parent: SlotFrame | undefined;
}

const frames = new AsyncLocalStorage<SlotFrame>();

/** The chain of slots the current code runs in, innermost first. */
export function currentSlots(): SlotFrame | undefined {
  return frames.getStore();
}

/** Runs a slot's function inside its frame. */
export function runInSlot<R>(frame: SlotFrame, fn: (...args: unknown[]) => R, thisArg: unknown, args: unknown[]): R {
  return frames.run(frame, Reflect.apply, fn, thisArg, args) as R;
}

/**
 * The slots of `owner` in `chain`, innermost first, or undefined when the
 * call is made from none of them. A wait made inside a slot's work (at any
 * depth) is taken as holding that slot up: the work awaits what it calls.
 */
export function nestedIn(chain: SlotFrame | undefined, owner: object): object[] | undefined {
  let out: object[] | undefined;
  for (let frame = chain; frame !== undefined; frame = frame.parent) if (frame.owner === owner) (out ??= []).push(frame.slot);
  return out;
}
